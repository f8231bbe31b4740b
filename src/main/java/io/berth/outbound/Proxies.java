package io.berth.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.berth.config.Secret;

/**
 * The proxies of the environment, chosen per url as requests chooses them: none for a host in
 * {@code NO_PROXY}; else {@code HTTPS_PROXY} for an https url, {@code HTTP_PROXY} for an http one,
 * {@code ALL_PROXY} for either when that one is unset. Each variable is read in lower case first,
 * then in upper case ({@code https_proxy} wins over {@code HTTPS_PROXY}; set empty, it disables the
 * upper-case one). A proxy url without a scheme is {@code http://}; without a port, port 80.
 */
public final class Proxies {

    private final Optional<ProxyAddress> http;
    private final Optional<ProxyAddress> https;
    private final Optional<ProxyAddress> all;
    private final NoProxy noProxy;

    private Proxies(Optional<ProxyAddress> http, Optional<ProxyAddress> https, Optional<ProxyAddress> all,
            NoProxy noProxy) {
        this.http = http;
        this.https = https;
        this.all = all;
        this.noProxy = noProxy;
    }

    /** No proxy for any url. */
    public static Proxies none() {
        return new Proxies(Optional.empty(), Optional.empty(), Optional.empty(), NoProxy.of(null));
    }

    /**
     * @param problems where a proxy url that cannot be used is described (variable, safe url, fix)
     */
    static Proxies read(Map<String, String> environment, List<String> problems) {
        return new Proxies(proxy(environment, "http_proxy", problems), proxy(environment, "https_proxy", problems),
                proxy(environment, "all_proxy", problems),
                NoProxy.of(variable(environment, "no_proxy").map(Map.Entry::getValue).orElse(null)));
    }

    /** The proxy requests would use for {@code url}, if any. */
    public Optional<ProxyAddress> forUrl(String url) {
        if (http.isEmpty() && https.isEmpty() && all.isEmpty()) {
            return Optional.empty(); // no proxy set: nothing to parse the url for (the bridge asks per record)
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException notAUrl) {
            return Optional.empty();
        }
        if (uri.getHost() == null) {
            return Optional.empty();
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        if (noProxy.bypasses(host, uri.getPort())) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Optional<ProxyAddress> forScheme = switch (scheme) {
            case "https" -> https;
            case "http" -> http;
            default -> Optional.empty();
        };
        return forScheme.or(() -> all);
    }

    /** The proxies set and how many NO_PROXY entries, without credentials, for the start-up log. */
    public String describe() {
        return java.util.stream.Stream.of(http, https, all).flatMap(Optional::stream).map(ProxyAddress::toString)
                .collect(java.util.stream.Collectors.joining(", ")) + "; NO_PROXY: " + noProxy;
    }

    /** Whether any proxy is set at all. */
    public boolean any() {
        return http.isPresent() || https.isPresent() || all.isPresent();
    }

    /** The lower-case variable if set (empty: unset), else the upper-case one if not empty; with its name. */
    private static Optional<Map.Entry<String, String>> variable(Map<String, String> environment, String lowerCase) {
        String lower = environment.get(lowerCase);
        if (lower != null) {
            return lower.isBlank() ? Optional.empty() : Optional.of(Map.entry(lowerCase, lower.trim()));
        }
        String upperCase = lowerCase.toUpperCase(Locale.ROOT);
        return Optional.ofNullable(environment.get(upperCase)).filter(value -> !value.isBlank())
                .map(value -> Map.entry(upperCase, value.trim()));
    }

    private static Optional<ProxyAddress> proxy(Map<String, String> environment, String lowerCase,
            List<String> problems) {
        return variable(environment, lowerCase).flatMap(entry -> parse(entry.getKey(), entry.getValue(), problems));
    }

    private static Optional<ProxyAddress> parse(String variable, String value, List<String> problems) {
        String url = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException notAUrl) {
            problems.add(variable + " is not a url: set it to http://host:port (or http://user:password@host:port)");
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String safe = scheme + "://" + (uri.getHost() == null ? "?" : uri.getHost())
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        if (!scheme.equals("http")) {
            problems.add(variable + " '" + safe + "': Berth reaches proxies over http:// only (the proxy then "
                    + "tunnels https with CONNECT): set it to http://host:port");
            return Optional.empty();
        }
        if (uri.getHost() == null) {
            problems.add(variable + " has no host: set it to http://host:port");
            return Optional.empty();
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        Optional<String> username = Optional.empty();
        Optional<Secret> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            username = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            password = Optional.of(Secret.of(colon < 0 ? "" : decode(userInfo.substring(colon + 1))));
        }
        return Optional.of(new ProxyAddress(host, uri.getPort() < 0 ? 80 : uri.getPort(), username, password,
                variable));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
