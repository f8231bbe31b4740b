package io.berth.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.KafkaClientConfig;
import io.berth.config.RunsConsumption;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The last dead-letter records, read from the dead-letter topic for the console, with the reason
 * Berth gave them. Read-only and group-less: the consumer is assigned every partition and starts
 * that many records before the end, so it commits nothing and needs no consumer-group rights.
 */
@ApplicationScoped
public final class DeadLetterLog {

    private static final Logger LOG = Logger.getLogger(DeadLetterLog.class);
    private static final int MAX_STORED_VALUE = 256 * 1024;
    private static final int MAX_PREVIEW = 2_000;

    /** One dead letter: what the console shows, and the original bytes for a replay (null if too large). */
    public record DeadLetter(ObjectNode view, String key, byte[] value) {
    }

    private final Instance<Map<String, Object>> consumerConfig;
    private final String topic;
    private final ConsoleSettings settings;
    private final Map<String, DeadLetter> letters;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final boolean deadLettersWritten;
    private Thread reader;

    /**
     * @param deadLettersWritten false with triggers alone or the polling streamer: there is no runs
     *        dead-letter topic to read, and a polling Berth must not connect to Kafka at all
     */
    @Inject
    DeadLetterLog(@Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> connection,
            @ConfigProperty(name = "mp.messaging.outgoing.runs-dead-letters.topic") String topic,
            ConsoleSettings settings,
            @ConfigProperty(name = RunsConsumption.DEAD_LETTERS_ENABLED, defaultValue = "true") boolean deadLettersWritten) {
        this.deadLettersWritten = deadLettersWritten;
        this.consumerConfig = connection;
        this.topic = topic;
        this.settings = settings;
        int capacity = settings.deadLetters();
        this.letters = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DeadLetter> eldest) {
                return size() > capacity;
            }
        };
    }

    void start(@Observes StartupEvent event) {
        if (!settings.enabled() || !deadLettersWritten) {
            return;
        }
        running = true;
        reader = new Thread(this::read, "berth-console-dead-letters");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Newest first. */
    public synchronized List<ObjectNode> recent() {
        List<ObjectNode> all = new ArrayList<>(letters.size());
        letters.values().forEach(letter -> all.add(0, letter.view().deepCopy()));
        return all;
    }

    public synchronized Optional<DeadLetter> find(int partition, long offset) {
        return Optional.ofNullable(letters.get(partition + ":" + offset));
    }

    public String topic() {
        return topic;
    }

    private void read() {
        Map<String, Object> config = new HashMap<>(consumerConfig.get());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "berth-console-dead-letters");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            while (running && !assign(kafka)) {
                Thread.sleep(5_000);
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofSeconds(1))) {
                    add(record);
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.warnf("The console stopped reading dead letters from %s: %s", topic, e.getMessage());
        }
    }

    /** Assigns every partition of the topic, the last records of each; false while the topic does not exist. */
    private boolean assign(KafkaConsumer<String, byte[]> kafka) {
        List<PartitionInfo> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        kafka.assign(assigned);
        Map<TopicPartition, Long> begin = kafka.beginningOffsets(assigned);
        kafka.endOffsets(assigned).forEach((partition, end) ->
                kafka.seek(partition, Math.max(begin.get(partition), end - settings.deadLetters())));
        return true;
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        ObjectNode view = JsonNodeFactory.instance.objectNode()
                .put("partition", record.partition()).put("offset", record.offset()).put("key", record.key())
                .put("at", Instant.ofEpochMilli(record.timestamp()).toString())
                .put("reason", header(record, "dead-letter-reason"))
                .put("origin", header(record, "dead-letter-topic") + "[" + header(record, "dead-letter-partition")
                        + "]@" + header(record, "dead-letter-offset"));
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String text = new String(value, StandardCharsets.UTF_8);
        view.put("preview", text.length() > MAX_PREVIEW ? text.substring(0, MAX_PREVIEW) + "…" : text);
        boolean replayable = value.length > 0 && value.length <= MAX_STORED_VALUE;
        view.put("replayable", replayable);
        synchronized (this) {
            letters.put(record.partition() + ":" + record.offset(),
                    new DeadLetter(view, record.key(), replayable ? value : null));
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
