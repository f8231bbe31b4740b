package io.berth.cloudevents;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code BERTH_CLOUDEVENTS_*}: whether Berth takes records pushed as CloudEvents on
 * {@code POST /cloudevents}, who may push them, and how long an answer may wait for its outcome.
 */
@ConfigMapping(prefix = "berth.cloudevents")
public interface CloudEventsSettings {

    /**
     * {@code BERTH_CLOUDEVENTS_ENABLED}: serve {@code POST /cloudevents}. Then Berth consumes neither
     * the runs nor the change-log topic itself (a KafkaSource pushes them); it still writes their
     * dead-letter topics.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * {@code BERTH_CLOUDEVENTS_OPEN}: admit any caller, for a cluster whose network policy lets only
     * the KafkaSource's dispatcher reach Berth. Off, a caller needs a key or an OIDC token.
     */
    @WithDefault("false")
    boolean open();

    /**
     * {@code BERTH_CLOUDEVENTS_API_KEYS}: keys a caller may present as {@code Authorization: Bearer <key>}
     * or {@code X-API-Key: <key>}, comma-separated, as the bridge's {@code BERTH_BRIDGE_API_KEYS}. Never logged.
     */
    Optional<String> apiKeys();

    /**
     * {@code BERTH_CLOUDEVENTS_ANSWER_WITHIN}: how long a push waits for its record's outcome before it is
     * answered 503 (KafkaSource retries it; the run goes on meanwhile, and the retry waits for it rather
     * than running it again). Keep it below the KafkaSource's {@code delivery.timeout} and the Knative
     * Service's {@code timeoutSeconds}, above the time a run usually takes.
     */
    @WithDefault("5m")
    Duration answerWithin();

    /** {@code BERTH_CLOUDEVENTS_MAX_BODY_BYTES}: a larger push is answered 413. */
    @WithDefault("1048576")
    int maxBodyBytes();
}
