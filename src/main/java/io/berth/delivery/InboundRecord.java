package io.berth.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.kafka.common.header.Header;

/**
 * One record of a consumed topic, as the delivery core sees it: its coordinates, its bytes, and the
 * acknowledgement that lets its offset be committed.
 *
 * <p>It also knows whether its effects have begun, so that a record read but not yet started can be
 * withdrawn when its partition goes to another consumer (or Berth stops), and a started one waited for:
 *
 * <pre>
 *  WAITING ──start()──► STARTED          (the dispatcher calls the handler; a lane gives it its turn)
 *     ▲                    │ hold()      (it waits again, behind its lane)
 *     └────────────────────┘
 *  WAITING ──withdraw()──► WITHDRAWN     (never starts: ends Abandoned, uncommitted, redelivered)
 * </pre>
 */
public final class InboundRecord {

    private final String topic;
    private final int partition;
    private final long offset;
    private final String key;
    private final byte[] value;
    private final Instant timestamp;
    private final Map<String, String> headers;
    private final Supplier<CompletionStage<Void>> ack;
    private final AtomicReference<Stage> stage = new AtomicReference<>(Stage.WAITING);

    /** A record whose timestamp and headers are unknown. */
    public InboundRecord(String topic, int partition, long offset, String key, byte[] value,
            Supplier<CompletionStage<Void>> ack) {
        this(topic, partition, offset, key, value, null, Map.of(), ack);
    }

    /** @param timestamp the record's Kafka timestamp, or null when it has none */
    public InboundRecord(String topic, int partition, long offset, String key, byte[] value, Instant timestamp,
            Supplier<CompletionStage<Void>> ack) {
        this(topic, partition, offset, key, value, timestamp, Map.of(), ack);
    }

    /**
     * @param timestamp the record's own timestamp (producer or broker time), or null when unknown
     * @param headers the record's headers as text (the last value of a repeated name wins)
     */
    public InboundRecord(String topic, int partition, long offset, String key, byte[] value, Instant timestamp,
            Map<String, String> headers, Supplier<CompletionStage<Void>> ack) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp == null || timestamp.toEpochMilli() < 0 ? null : timestamp;
        this.headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        this.ack = Objects.requireNonNull(ack, "ack");
    }

    /** Kafka headers as text, UTF-8 (the last value of a repeated name wins; a null value is empty). */
    public static Map<String, String> textHeaders(Iterable<Header> headers) {
        Map<String, String> text = null;
        for (Header header : headers) {
            if (text == null) {
                text = new HashMap<>();
            }
            text.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        // Most records have none: the shared empty map, which the constructor keeps as it is.
        return text == null ? Map.of() : text;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The record key, or null. */
    public String key() {
        return key;
    }

    /** The record value, or null for a tombstone. */
    public byte[] value() {
        return value;
    }

    /**
     * The record's Kafka timestamp (set by its producer, or by the broker with log-append time), if
     * it has one.
     */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /** The record's headers as text; empty when the source does not give them. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Lets the record's offset be committed (once every record before it is acknowledged too). */
    public CompletionStage<Void> ack() {
        return ack.get();
    }

    /**
     * Takes the record's turn to begin its effects. False when it was withdrawn first: then it must
     * not begin, and ends {@link RecordOutcome.Abandoned}.
     */
    public boolean start() {
        stage.compareAndSet(Stage.WAITING, Stage.STARTED);
        return stage.get() == Stage.STARTED;
    }

    /** The record waits again before its effects begin (behind the earlier records of its lane). */
    public void hold() {
        stage.compareAndSet(Stage.STARTED, Stage.WAITING);
    }

    /** Withdraws the record unless its effects have begun; true when it will never begin. */
    public boolean withdraw() {
        stage.compareAndSet(Stage.WAITING, Stage.WITHDRAWN);
        return stage.get() == Stage.WITHDRAWN;
    }

    /** {@code topic[partition]@offset}: how log lines name a record (escaped: it goes into log lines). */
    @Override
    public String toString() {
        return ControlCharacters.escape(topic) + "[" + partition + "]@" + offset;
    }

    private enum Stage {
        WAITING, STARTED, WITHDRAWN
    }
}
