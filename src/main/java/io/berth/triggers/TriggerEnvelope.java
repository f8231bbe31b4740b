package io.berth.triggers;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record as every trigger target receives it: Operion's trigger data, plus the record's own
 * timestamp.
 *
 * <pre>
 * {"topic": "orders", "partition": 0, "offset": 12345,
 *  "timestamp": "2024-06-18T05:09:00.123Z",         when Berth processed it (as Operion's)
 *  "record_timestamp": "2024-06-18T05:08:59.870Z",  the record's producer or broker time, or null
 *  "key": "user-123",                               or null
 *  "message": {...},       the value as JSON of any type; {"raw_message": text} if not JSON; null if empty
 *  "headers": {"source": "auth-service"}}
 * </pre>
 *
 * @param message never Java null: JSON null for an empty value
 */
public record TriggerEnvelope(String topic, int partition, long offset, Instant timestamp, Instant recordTimestamp,
        String key, JsonNode message, Map<String, String> headers) {

    public TriggerEnvelope {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(message, "message");
        headers = Map.copyOf(headers);
    }

    /** {@code topic-partition-offset}: the same for every delivery of one record, an idempotency key. */
    public String id() {
        return topic + "-" + partition + "-" + offset;
    }

    /** The envelope as JSON, the body of a webhook target and the input of a Port action's jq. */
    public ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode out = json.objectNode();
        out.put("topic", topic);
        out.put("partition", partition);
        out.put("offset", offset);
        out.put("timestamp", iso(timestamp));
        out.put("record_timestamp", recordTimestamp == null ? null : iso(recordTimestamp));
        out.put("key", key);
        out.set("message", message.deepCopy());
        ObjectNode headerNode = out.putObject("headers");
        new TreeMap<>(headers).forEach(headerNode::put);
        return out;
    }

    /** ISO-8601 in UTC with {@code Z}, to the millisecond. */
    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
