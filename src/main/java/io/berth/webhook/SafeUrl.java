package io.berth.webhook;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A url as log lines and failure reasons may show it: scheme, host, port and path. The query
 * string and user info are left out, since a webhook url can carry a token in either.
 */
final class SafeUrl {

    private SafeUrl() {
    }

    static String of(String url) {
        if (url == null || url.isBlank()) {
            return "(no url)";
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return "(invalid url)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (URISyntaxException e) {
            return "(invalid url)";
        }
    }

    /** Whether Berth can send to {@code url}: absolute http(s) with a host. */
    static boolean isSendable(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
