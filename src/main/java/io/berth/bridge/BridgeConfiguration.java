package io.berth.bridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated bridge file ({@code BERTH_BRIDGE_PATH}): kafka-hooks' {@code kafka} section, its
 * defaults applied, Watt's {@code {ENV}} placeholders replaced.
 *
 * @param brokers {@code brokers}; empty: {@code KAFKA_BROKERS}
 * @param subscriptions {@code topics}: topic → webhook
 * @param concurrency {@code concurrency}: records in flight per subscription (default 10)
 * @param requestResponse {@code requestResponse}: HTTP routes answered over Kafka
 * @param publish Berth's {@code publish}: topics {@code POST /topics/{topic}} may write to (beyond
 *        kafka-hooks' own: the consumed and the response topics)
 * @param httpOpen Berth's {@code httpOpen}: {@code true} lets any caller use {@code POST /topics/{topic}}
 *        and the request/response routes; absent or {@code false} (a kafka-hooks file as is): callers
 *        must present an API key or an OIDC bearer token
 */
public record BridgeConfiguration(List<String> brokers, List<Subscription> subscriptions, ConsumerOptions consumer,
        int concurrency, List<RequestResponseRoute> requestResponse, List<String> publish, boolean httpOpen) {

    public static final int DEFAULT_CONCURRENCY = 10;

    public BridgeConfiguration {
        brokers = List.copyOf(brokers);
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(consumer, "consumer");
        requestResponse = List.copyOf(requestResponse);
        publish = List.copyOf(publish);
    }

    /** A file whose HTTP endpoints are closed to callers without credentials. */
    public BridgeConfiguration(List<String> brokers, List<Subscription> subscriptions, ConsumerOptions consumer,
            int concurrency, List<RequestResponseRoute> requestResponse, List<String> publish) {
        this(brokers, subscriptions, consumer, concurrency, requestResponse, publish, false);
    }

    /**
     * {@code consumer}: the group and where a group without committed offsets starts.
     *
     * @param groupId {@code groupId} (default {@code plt-kafka-hooks}): kafka-hooks' own group, so
     *        that Berth resumes where kafka-hooks committed
     * @param autoOffsetReset from {@code mode}/{@code fallbackMode}: {@code earliest}, {@code latest}
     *        or {@code none} (fallbackMode {@code fail})
     * @param kafkaProperties the @platformatic/kafka options that have a kafka-clients equivalent
     *        ({@code sessionTimeout}, {@code heartbeatInterval}, {@code maxWaitTime}, ...)
     */
    public record ConsumerOptions(String groupId, String autoOffsetReset, Map<String, Object> kafkaProperties) {
        public static final String DEFAULT_GROUP = "plt-kafka-hooks";

        public ConsumerOptions {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
            kafkaProperties = Map.copyOf(kafkaProperties);
        }
    }

    /**
     * {@code requestResponse[]}: {@code POST path} publishes to {@code requestTopic} and answers
     * with the reply read from {@code responseTopic}, or 504 after {@code timeout} (default 30 s).
     */
    public record RequestResponseRoute(String path, String requestTopic, String responseTopic, Duration timeout) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    }

    /** The subscription of {@code topic}, if there is one. */
    public Optional<Subscription> subscription(String topic) {
        return subscriptions.stream().filter(s -> s.topic().equals(topic)).findFirst();
    }
}
