package io.berth.bridge.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.header.Headers;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.MultiMap;

/**
 * Which request headers become Kafka headers: an allow-list ({@code content-type}, {@code traceparent},
 * {@code tracestate} and {@code BERTH_BRIDGE_FORWARDED_HEADERS}), never credentials. kafka-hooks
 * copies every header, {@code authorization} included, into the record, where every consumer of
 * the topic can read it.
 */
final class ForwardedHeaders {

    static final List<String> ALWAYS = List.of("content-type", "traceparent", "tracestate");
    static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization", "x-api-key");

    private final Set<String> names = new LinkedHashSet<>(ALWAYS);

    ForwardedHeaders(List<String> extra) {
        for (String name : extra) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            if (CREDENTIALS.contains(lower)) {
                throw new ConfigurationException("Berth cannot start:\n  - BERTH_BRIDGE_FORWARDED_HEADERS names '"
                        + lower + "', a credential: remove it (credentials are never copied into Kafka headers)");
            }
            if (!lower.isEmpty()) {
                names.add(lower);
            }
        }
    }

    /** Copies the allowed headers of {@code request} into {@code headers}, each value as UTF-8. */
    void copy(MultiMap request, Headers headers) {
        for (Map.Entry<String, String> header : request) {
            if (names.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(header.getKey().toLowerCase(Locale.ROOT), header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
