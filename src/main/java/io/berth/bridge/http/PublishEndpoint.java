package io.berth.bridge.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /topics/{topic}}: kafka-hooks' publish endpoint. The body becomes the record's value
 * unchanged (JSON, text or bytes), {@code x-plt-kafka-hooks-key} its key, allowed headers its
 * headers; answered 202 {@code {"topic","partition","offset"}} once the broker acknowledged it.
 *
 * <p>With {@code Content-Type: application/vnd.kafka.json.v2+json}, Strimzi Kafka Bridge's form: a
 * body {@code {"records": [{"key", "value", "partition", "headers": [{"key", "value" (base64)}]}]}},
 * whose keys and values are JSON written as JSON text (as Strimzi does), answered 200
 * {@code {"offsets": [{"partition", "offset"} or {"error_code", "message"}]}}, one per record, in order.
 */
final class PublishEndpoint {

    static final String KEY_HEADER = "x-plt-kafka-hooks-key";
    static final String STRIMZI_JSON = "application/vnd.kafka.json.v2+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> topics;
    private final InboundAuth auth;
    private final ForwardedHeaders forwarded;
    private final RecordSender sender;

    /** @param topics the topics callers may write to */
    PublishEndpoint(Set<String> topics, InboundAuth auth, ForwardedHeaders forwarded, RecordSender sender) {
        this.topics = Set.copyOf(topics);
        this.auth = auth;
        this.forwarded = forwarded;
        this.sender = sender;
    }

    void handle(RoutingContext context) {
        auth.admits(context).subscribe().with(admitted -> {
            if (!admitted) {
                ErrorAnswers.unauthorized(context);
                return;
            }
            String topic = context.pathParam("topic");
            if (!topics.contains(topic)) {
                ErrorAnswers.send(context, 404, "Topic " + topic + " not found.");
                return;
            }
            String type = context.request().getHeader("content-type");
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith(STRIMZI_JSON)) {
                publishBatch(context, topic);
            } else {
                publishOne(context, topic);
            }
        });
    }

    private void publishOne(RoutingContext context, String topic) {
        String key = context.request().getHeader(KEY_HEADER);
        byte[] value = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        forwarded.copy(context.request().headers(), record.headers());
        sender.send(Vertx.currentContext(), record).onComplete(sent -> {
            if (sent.failed()) {
                ErrorAnswers.sendFailure(context, sent.cause());
                return;
            }
            RecordMetadata metadata = sent.result();
            ObjectNode body = JSON.createObjectNode().put("topic", metadata.topic())
                    .put("partition", metadata.partition()).put("offset", metadata.offset());
            context.response().setStatusCode(202).putHeader("content-type", "application/json").end(body.toString());
        });
    }

    private void publishBatch(RoutingContext context, String topic) {
        List<ProducerRecord<byte[], byte[]>> records;
        try {
            records = strimziRecords(topic, context.body().buffer() == null ? "" : context.body().asString());
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            String message = e instanceof IllegalArgumentException ? e.getMessage() : "The body is not valid JSON.";
            context.response().setStatusCode(422).putHeader("content-type", STRIMZI_JSON)
                    .end(JSON.createObjectNode().put("error_code", 422).put("message", message).toString());
            return;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            sends.add(sender.send(Vertx.currentContext(), record));
        }
        Future.join(sends).onComplete(all -> {
            ArrayNode offsets = JSON.createArrayNode();
            for (Future<RecordMetadata> send : sends) {
                if (send.succeeded()) {
                    offsets.addObject().put("partition", send.result().partition()).put("offset", send.result().offset());
                } else {
                    offsets.addObject().put("error_code", ErrorAnswers.status(send.cause()))
                            .put("message", ErrorAnswers.message(send.cause()));
                }
            }
            ObjectNode body = JSON.createObjectNode();
            body.set("offsets", offsets);
            context.response().setStatusCode(200).putHeader("content-type", STRIMZI_JSON).end(body.toString());
        });
    }

    /** Strimzi's {@code {"records": [...]}}: refused whole (422) when a record is malformed. */
    static List<ProducerRecord<byte[], byte[]>> strimziRecords(String topic, String body)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode root = JSON.readTree(body);
        JsonNode list = root == null ? null : root.get("records");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("The body must be {\"records\": [{\"value\": ...}, ...]} with a record.");
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (!entry.isObject() || !entry.has("value")) {
                throw new IllegalArgumentException("records[" + i + "] must be an object with a value.");
            }
            Integer partition = null;
            if (entry.hasNonNull("partition")) {
                if (!entry.get("partition").canConvertToInt() || entry.get("partition").intValue() < 0) {
                    throw new IllegalArgumentException("records[" + i + "].partition must be a partition number.");
                }
                partition = entry.get("partition").intValue();
            }
            byte[] key = entry.hasNonNull("key") ? JSON.writeValueAsBytes(entry.get("key")) : null;
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, key,
                    JSON.writeValueAsBytes(entry.get("value")));
            for (JsonNode header : entry.path("headers")) {
                if (!header.path("key").isTextual() || !header.path("value").isTextual()) {
                    throw new IllegalArgumentException("records[" + i + "].headers must be [{\"key\", \"value\"}], "
                            + "value in base64.");
                }
                String name = header.get("key").textValue();
                if (ForwardedHeaders.CREDENTIALS.contains(name.toLowerCase(Locale.ROOT))) {
                    continue; // credentials never reach a topic
                }
                try {
                    record.headers().add(name, Base64.getDecoder().decode(header.get("value").textValue()));
                } catch (IllegalArgumentException notBase64) {
                    throw new IllegalArgumentException("records[" + i + "].headers: the value of '" + name
                            + "' must be base64.");
                }
            }
            records.add(record);
        }
        return records;
    }
}
