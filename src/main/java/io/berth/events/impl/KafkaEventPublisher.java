package io.berth.events.impl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.events.EventPublisher;
import io.berth.events.EventSettings;
import io.berth.tracing.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;

/**
 * Publishes events with a producer of its own, on a worker thread, so that no caller ever waits
 * for Kafka.
 *
 * <pre>
 *  publish() ─► bounded queue (BERTH_EVENTS_QUEUE_CAPACITY; full: dropped, counted)
 *                 └─► one worker ─► KafkaProducer.send()  (idempotent, acks=all)
 *                        └─► buffer (BERTH_EVENTS_BUFFER_MEMORY), retried until BERTH_EVENTS_DELIVERY_TIMEOUT
 *                               └─► acknowledged: published │ given up: WARN + failed
 * </pre>
 *
 * One worker keeps the order of {@code publish} calls; idempotence keeps it through retries (up to
 * five requests in flight per partition, without duplicates). {@code send} may wait on the worker
 * (for a topic's metadata while the broker is away, or for room in the buffer) up to the delivery
 * timeout: the queue fills meanwhile, and the callers never notice.
 */
final class KafkaEventPublisher implements EventPublisher, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaEventPublisher.class);

    /** At most one failure warning this often; the ones in between are counted in the next. */
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int LINGER_MS = 5;

    private final Producer<String, byte[]> producer;
    private final BlockingQueue<ProducerRecord<String, byte[]>> queue;
    private final Counter published;
    private final Counter failed;
    private final Thread worker;
    private volatile boolean closing;
    private long lastWarning;
    private int unwarned;

    KafkaEventPublisher(Map<String, Object> connection, EventSettings settings, MeterRegistry registry) {
        this(new KafkaProducer<>(producerConfig(connection, settings), new StringSerializer(),
                new ByteArraySerializer()), settings.queueCapacity(), registry);
    }

    KafkaEventPublisher(Producer<String, byte[]> producer, int queueCapacity, MeterRegistry registry) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.published = counter(registry, "published");
        this.failed = counter(registry, "failed");
        this.worker = new Thread(this::deliver, "berth-events");
        worker.setDaemon(true);
        worker.start();
    }

    /** Berth's Kafka connection (brokers, security) plus what makes delivery safe and bounded. */
    static Map<String, Object> producerConfig(Map<String, Object> connection, EventSettings settings) {
        long deliveryMs = settings.deliveryTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "berth-events");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(REQUEST_TIMEOUT.toMillis(), deliveryMs - LINGER_MS));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, settings.bufferMemory());
        // Only the worker waits: for a topic's metadata or room in the buffer, as long as delivery may take.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryMs);
        return config;
    }

    @Override
    public void publish(String topic, String key, ObjectNode event) {
        publish(topic, key, event, Context.current());
    }

    @Override
    public void publish(String topic, String key, ObjectNode event, Context trace) {
        try {
            byte[] value = event.toString().getBytes(StandardCharsets.UTF_8);
            RecordHeaders headers = new RecordHeaders();
            Tracing.injectInto(trace, (name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
            if (closing || !queue.offer(new ProducerRecord<>(topic, null, key, value, headers))) {
                failed(topic, key, closing ? "Berth is stopping" : "the queue of " + (queue.size() + queue.remainingCapacity())
                        + " events waiting for Kafka is full");
            }
        } catch (RuntimeException e) {
            failed(topic, key, describe(e));
        }
    }

    /** Lets queued events go out for a few seconds, then stops; what is left is counted as failed. */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
        List<ProducerRecord<String, byte[]>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(record -> failed(record.topic(), record.key(), "Berth stopped before it was sent"));
        producer.close(CLOSE_WAIT);
    }

    private void deliver() {
        while (true) {
            ProducerRecord<String, byte[]> record;
            try {
                record = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (record == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            try {
                producer.send(record, (metadata, failure) -> {
                    if (failure == null) {
                        published.increment();
                    } else {
                        failed(record.topic(), record.key(), describe(failure));
                    }
                });
            } catch (RuntimeException e) {
                // Kafka reports API errors through the callback; what is thrown (producer closed, ...) ends here.
                failed(record.topic(), record.key(), describe(e));
            }
        }
    }

    private void failed(String topic, String key, String why) {
        failed.increment();
        int skipped;
        synchronized (this) {
            long now = System.nanoTime();
            if (lastWarning != 0 && now - lastWarning < WARN_EVERY_NANOS) {
                unwarned++;
                return;
            }
            lastWarning = now;
            skipped = unwarned;
            unwarned = 0;
        }
        LOG.warnf("Event for %s (key %s) not published: %s%s", topic, key, why,
                skipped == 0 ? "" : " (" + skipped + " more not published since the last warning)");
    }

    /** The failure's class and message: Kafka's messages name topics and timeouts, never credentials. */
    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("berth.events")
                .description("Lifecycle and domain events, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
