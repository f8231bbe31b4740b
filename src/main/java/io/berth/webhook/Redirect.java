package io.berth.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The request a redirect asks for, as Python requests (port-agent's client) builds it, except that
 * nothing from the mapping or Berth's signature goes to another origin.
 *
 * <pre>
 *   303, and 302 (not HEAD), and 301 of a POST   become a GET
 *   any status but 307, 308                      drops the body and its Content-Type
 *   307, 308                                     keep method and body
 *   same origin (scheme, host, port)             keeps every header, signature included
 *   another origin                               keeps no header but the body's Content-Type:
 *                                                no X-Port-Signature/-Timestamp, Authorization,
 *                                                Idempotency-Key, nor any header the mapping set
 * </pre>
 *
 * requests drops only {@code Authorization} on a change of host; a mapping's headers are where its
 * tokens are (GitLab's {@code PRIVATE-TOKEN}, a deploy key), so Berth keeps none of them.
 */
final class Redirect {

    static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);

    private Redirect() {
    }

    static boolean isRedirect(int status) {
        return STATUSES.contains(status);
    }

    /**
     * @param location the answer's {@code Location}, relative or absolute
     * @return the next request, or empty when {@code location} is not a url
     */
    static Optional<Hop> next(Hop from, int status, String location) {
        URI target;
        URI current;
        try {
            current = new URI(from.url());
            target = current.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException notAUrl) {
            return Optional.empty();
        }
        String method = from.method();
        if ((status == 303 && !method.equals("HEAD")) || (status == 302 && !method.equals("HEAD"))
                || (status == 301 && method.equals("POST"))) {
            method = "GET";
        }
        boolean keepsBody = status == 307 || status == 308;
        byte[] body = keepsBody ? from.body() : null;
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (Hop.origin(current).equals(Hop.origin(target))) {
            headers.addAll(from.headers());
            if (!keepsBody) {
                headers.remove(HttpHeaders.CONTENT_TYPE).remove(HttpHeaders.CONTENT_LENGTH)
                        .remove(HttpHeaders.TRANSFER_ENCODING);
            }
        } else if (keepsBody && from.headers().contains(HttpHeaders.CONTENT_TYPE)) {
            headers.set(HttpHeaders.CONTENT_TYPE, from.headers().get(HttpHeaders.CONTENT_TYPE));
        }
        return Optional.of(new Hop(method, target.toString(), body, headers));
    }
}
