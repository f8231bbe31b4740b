package io.berth.webhook;

import java.util.Locale;
import java.util.Objects;

import io.vertx.core.MultiMap;

/**
 * One HTTP request of a webhook call: the one the mapping made, or one a redirect asked for.
 *
 * @param body the bytes to send, null for none (not even {@code Content-Length: 0})
 * @param headers every header sent; values are not to be logged
 */
record Hop(String method, String url, byte[] body, MultiMap headers) {

    Hop {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
    }

    /** Scheme, host and port, the unit that decides whether credentials may follow a redirect. */
    static String origin(java.net.URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }

    @Override
    public String toString() {
        // Headers and body may carry tokens and decrypted inputs: never in a log line.
        return "Hop[" + method + " " + SafeUrl.of(url) + "]";
    }
}
