package io.berth.publish;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The producer options of a {@code kafka} entry, normalised: two entries with the same options share
 * one producer (record equality is "the same option set").
 *
 * @param acks {@code all}, {@code 1} or {@code 0} ({@code -1} is read as {@code all})
 * @param compression {@code none}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}
 * @param idempotence whether the producer is idempotent; defaults to true with {@code acks=all}, as
 *        Kafka's own default, and needs it
 * @param lingerMs how long a send waits for others to batch with
 */
public record ProducerOptions(String acks, String compression, boolean idempotence, int lingerMs) {

    /** The option keys of a {@code kafka} object. */
    public static final List<String> KEYS = List.of("acks", "compression", "idempotence", "lingerMs");

    static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    /** Kafka's default linger since 4.0. */
    static final int DEFAULT_LINGER_MS = 5;
    /** Below Kafka's default delivery timeout less its request timeout (120 s - 30 s). */
    static final int MAX_LINGER_MS = 60_000;

    /** Reads the options of a {@code kafka} object; absent ones take Kafka's defaults. */
    public static ProducerOptions from(JsonNode kafka) throws InvalidPublishOption {
        String acks = acks(kafka.get("acks"));
        String compression = "none";
        JsonNode c = kafka.get("compression");
        if (c != null && !c.isNull()) {
            String value = c.isTextual() ? c.textValue().trim().toLowerCase(Locale.ROOT) : null;
            if (value == null || !COMPRESSIONS.contains(value)) {
                throw new InvalidPublishOption("compression", "must be one of " + String.join(", ", COMPRESSIONS)
                        + ", was " + c);
            }
            compression = value;
        }
        boolean idempotence = acks.equals("all");
        JsonNode i = kafka.get("idempotence");
        if (i != null && !i.isNull()) {
            if (!i.isBoolean()) {
                throw new InvalidPublishOption("idempotence", "must be true or false, was " + i);
            }
            if (i.booleanValue() && !acks.equals("all")) {
                throw new InvalidPublishOption("idempotence", "true needs \"acks\": \"all\" (acks is " + acks
                        + "): set acks to all, or idempotence to false");
            }
            idempotence = i.booleanValue();
        }
        int lingerMs = DEFAULT_LINGER_MS;
        JsonNode l = kafka.get("lingerMs");
        if (l != null && !l.isNull()) {
            if (!l.canConvertToInt() || !l.isIntegralNumber() || l.intValue() < 0 || l.intValue() > MAX_LINGER_MS) {
                throw new InvalidPublishOption("lingerMs", "must be a whole number of milliseconds from 0 to "
                        + MAX_LINGER_MS + ", was " + l);
            }
            lingerMs = l.intValue();
        }
        return new ProducerOptions(acks, compression, idempotence, lingerMs);
    }

    private static String acks(JsonNode node) throws InvalidPublishOption {
        if (node == null || node.isNull()) {
            return "all";
        }
        String value = node.isTextual() ? node.textValue().trim().toLowerCase(Locale.ROOT)
                : node.isIntegralNumber() ? node.asText() : "";
        return switch (value) {
            case "all", "-1" -> "all";
            case "0", "1" -> value;
            default -> throw new InvalidPublishOption("acks", "must be \"all\", 1 or 0, was " + node);
        };
    }

    /** These options as Kafka producer settings, to lay over Berth's connection. */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        return config;
    }
}
