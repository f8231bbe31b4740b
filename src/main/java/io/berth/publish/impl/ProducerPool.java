package io.berth.publish.impl;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import io.berth.publish.ProducerOptions;

/**
 * One producer per distinct option set, created on first use and kept until {@link #close()}: a
 * producer holds connections and a buffer, so runs share it rather than open one each.
 */
final class ProducerPool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProducerPool.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Supplier<Map<String, Object>> connection;
    private final ConcurrentMap<ProducerOptions, Producer<byte[], byte[]>> producers = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();
    private volatile boolean closed;

    /** @param connection Berth's Kafka connection (brokers, security, SASL), read when the first producer is made */
    ProducerPool(Supplier<Map<String, Object>> connection) {
        this.connection = connection;
    }

    /** The producer for {@code options}; may block while it is created: call it off the event loop. */
    Producer<byte[], byte[]> producerFor(ProducerOptions options) {
        if (closed) {
            throw new IllegalStateException("Berth is stopping: no more records are published");
        }
        return producers.computeIfAbsent(options, this::create);
    }

    private Producer<byte[], byte[]> create(ProducerOptions options) {
        Map<String, Object> config = new HashMap<>(connection.get());
        config.putAll(options.producerConfig());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "berth-publish-" + created.incrementAndGet());
        LOG.infof("Kafka publish actions: producer %s for %s", config.get(ProducerConfig.CLIENT_ID_CONFIG), options);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        closed = true;
        producers.values().forEach(producer -> producer.close(CLOSE_WAIT));
        producers.clear();
    }
}
