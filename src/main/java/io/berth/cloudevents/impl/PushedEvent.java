package io.berth.cloudevents.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.MultiMap;

/**
 * A CloudEvent pushed by a Knative {@code KafkaSource}, read back into the Kafka record it was.
 *
 * <pre>
 *  binary mode (KafkaSource's)                  structured mode (application/cloudevents+json)
 *   ce-id: partition:3/offset:1207                {"id": "partition:3/offset:1207",
 *   ce-source: /apis/v1/namespaces/ns/             "source": ".../kafkasources/berth#org_1.runs",
 *       kafkasources/berth#org_1.runs              "type": "dev.knative.kafka.event", "specversion": "1.0",
 *   ce-subject: partition:3#1207                   "subject": "partition:3#1207", "key": "svc",
 *   ce-key: svc                                    "kafkaheadertraceparent": "00-...",
 *   ce-kafkaheadertraceparent: 00-...              "data": {...} or "data_base64": "..."}
 *   body: the record's value
 * </pre>
 *
 * The topic is what follows the last {@code #} of the source; partition and offset come from the id
 * (or the subject). An event without them (a Kafka Broker's trigger re-identifies events) gets
 * partition 0 and a sequence number: only de-duplication by run id protects it then.
 *
 * @param partition the record's partition, or 0 when the event does not say
 * @param offset the record's offset, or -1 when the event does not say
 * @param time the event's {@code time}, or null
 */
record PushedEvent(String id, String topic, int partition, long offset, String key, byte[] value, Instant time,
        Map<String, String> headers) {

    static final String STRUCTURED = "application/cloudevents+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KAFKA_ID = Pattern.compile("partition:(\\d{1,9})/offset:(\\d{1,18})");
    private static final Pattern KAFKA_SUBJECT = Pattern.compile("partition:(\\d{1,9})#(\\d{1,18})");
    private static final String BINARY_PREFIX = "ce-";
    private static final String KAFKA_HEADER = "kafkaheader";

    /** The event as the request carries it, in binary or structured mode. */
    static PushedEvent of(MultiMap requestHeaders, byte[] body) {
        String type = requestHeaders.get("content-type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith(STRUCTURED)) {
            return structured(body);
        }
        Map<String, String> attributes = new HashMap<>();
        for (Map.Entry<String, String> header : requestHeaders) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(BINARY_PREFIX)) {
                attributes.put(name.substring(BINARY_PREFIX.length()), header.getValue());
            }
        }
        return from(attributes, body);
    }

    private static PushedEvent structured(byte[] body) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidCloudEvent("the structured event is not valid JSON");
        }
        if (event == null || !event.isObject()) {
            throw new InvalidCloudEvent("a structured event must be a JSON object");
        }
        Map<String, String> attributes = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = event.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                attributes.put(field.getKey().toLowerCase(Locale.ROOT), field.getValue().asText());
            }
        }
        return from(attributes, data(event));
    }

    /** {@code data_base64} decoded; JSON {@code data} as JSON text, a string as its text; none: no value. */
    private static byte[] data(JsonNode event) {
        if (event.hasNonNull("data_base64")) {
            try {
                return Base64.getDecoder().decode(event.get("data_base64").asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidCloudEvent("data_base64 is not base64");
            }
        }
        JsonNode data = event.get("data");
        if (data == null || data.isNull()) {
            return null;
        }
        String text = data.isTextual() && !event.path("datacontenttype").asText("").contains("json")
                ? data.textValue() : data.toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static PushedEvent from(Map<String, String> attributes, byte[] value) {
        String id = required(attributes, "id");
        String source = required(attributes, "source");
        int hash = source.lastIndexOf('#');
        if (hash < 0 || hash == source.length() - 1) {
            throw new InvalidCloudEvent("the source must end in #<topic>, as a KafkaSource's does");
        }
        String topic = source.substring(hash + 1);
        int partition = 0;
        long offset = -1;
        Matcher coordinates = KAFKA_ID.matcher(id);
        if (!coordinates.matches()) {
            coordinates = KAFKA_SUBJECT.matcher(attributes.getOrDefault("subject", ""));
        }
        if (coordinates.matches()) {
            partition = Integer.parseInt(coordinates.group(1));
            offset = Long.parseLong(coordinates.group(2));
        }
        Map<String, String> headers = new HashMap<>();
        attributes.forEach((name, text) -> {
            if (name.startsWith(KAFKA_HEADER) && name.length() > KAFKA_HEADER.length()) {
                headers.put(name.substring(KAFKA_HEADER.length()), text);
            }
        });
        return new PushedEvent(id, topic, partition, offset, attributes.get("key"), value, time(attributes), headers);
    }

    private static String required(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidCloudEvent("the event has no " + name + " (ce-" + name + ")");
        }
        return value;
    }

    private static Instant time(Map<String, String> attributes) {
        String time = attributes.get("time");
        if (time == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            return null; // the record's time only informs the replay check; a bad one is not worth a refusal
        }
    }

    /** Not a CloudEvent Berth can read: answered 400, which the KafkaSource sends to its dead-letter sink. */
    static final class InvalidCloudEvent extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidCloudEvent(String message) {
            super(message, null, false, false);
        }
    }
}
