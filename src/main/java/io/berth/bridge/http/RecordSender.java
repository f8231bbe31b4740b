package io.berth.bridge.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The bridge's one producer ({@code acks=all}, idempotent) for what HTTP callers publish. Waiting
 * for the broker is bounded: {@code max.block.ms} (metadata) and {@code delivery.timeout.ms} are
 * both {@code BERTH_BRIDGE_PUBLISH_TIMEOUT}, so a caller learns within it that the broker is
 * unavailable.
 *
 * <p>Berth's publish actions have their own pool ({@code io.berth.publish}); it does not fit here:
 * its producers wait Kafka's default two minutes, longer than an HTTP caller should.
 */
final class RecordSender implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Producer<byte[], byte[]> producer;

    /** @param connection brokers and security, from {@code KafkaClientConfig#connectionTo} */
    RecordSender(Map<String, Object> connection, Duration timeout) {
        this(new KafkaProducer<>(config(connection, timeout), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    RecordSender(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    static Map<String, Object> config(Map<String, Object> connection, Duration timeout) {
        Map<String, Object> config = new HashMap<>(connection);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
        // delivery.timeout.ms must cover linger.ms + request.timeout.ms.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, millis / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis + 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "berth-bridge-http");
        return config;
    }

    /**
     * Sends {@code record}; the future completes on {@code context} once the broker acknowledged it,
     * or fails with Kafka's exception. {@code send} may block for metadata: it runs on a worker
     * thread, never on the event loop.
     */
    Future<RecordMetadata> send(Context context, ProducerRecord<byte[], byte[]> record) {
        Promise<RecordMetadata> acknowledged = Promise.promise();
        context.executeBlocking(() -> producer.send(record, (metadata, failure) -> context.runOnContext(ignored -> {
            if (failure != null) {
                acknowledged.tryFail(failure);
            } else {
                acknowledged.tryComplete(metadata);
            }
        })), false).onFailure(failure -> acknowledged.tryFail(failure));
        return acknowledged.future();
    }

    @Override
    public void close() {
        producer.close(CLOSE_WAIT);
    }
}
