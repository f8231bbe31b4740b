package io.berth.bridge.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code BERTH_BRIDGE_*} of the bridge's HTTP side: who may call it, and what bounds it.
 */
@ConfigMapping(prefix = "berth.bridge")
public interface BridgeHttpSettings {

    /**
     * {@code BERTH_BRIDGE_API_KEYS}: keys a caller may present as {@code Authorization: Bearer <key>} or
     * {@code X-API-Key: <key>}, comma-separated. Never logged.
     */
    Optional<String> apiKeys();

    /** {@code BERTH_BRIDGE_MAX_BODY_BYTES}: a larger request body is answered 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * {@code BERTH_BRIDGE_PUBLISH_TIMEOUT}: how long a record may take to be acknowledged (waiting for
     * the broker's metadata included) before the caller gets 503.
     */
    @WithDefault("10s")
    Duration publishTimeout();

    /** {@code BERTH_BRIDGE_MAX_PENDING_REPLIES}: request/response calls waiting at once; beyond: 503. */
    @WithDefault("1000")
    int maxPendingReplies();

    /**
     * {@code BERTH_BRIDGE_FORWARDED_HEADERS}: request headers copied into the record's Kafka headers,
     * besides {@code content-type}, {@code traceparent} and {@code tracestate}. Credentials
     * ({@code authorization}, {@code cookie}, {@code proxy-authorization}, {@code x-api-key}) never are.
     */
    Optional<List<String>> forwardedHeaders();
}
