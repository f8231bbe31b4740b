package io.berth.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker of kafka-hooks' request/response pattern, for tests: consumes a request topic (a group
 * of its own, from the earliest record) and answers each request on a response topic with the
 * request's {@code x-plt-kafka-hooks-correlation-id}, as {@code answer} says.
 */
public final class KafkaResponder implements AutoCloseable {

    /** What to answer: status ({@code x-status-code}), content type and body. */
    public record Answer(String status, String contentType, String body) {
    }

    /** A request as the worker sees it. */
    public record Request(String value, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String responseTopic;
    private final Function<Request, Answer> answer;
    private final AtomicInteger answered = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    public KafkaResponder(String requestTopic, String responseTopic, String group, Function<Request, Answer> answer) {
        String servers = KafkaBrokerResource.bootstrapServers();
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
        this.responseTopic = responseTopic;
        this.answer = answer;
        consumer.subscribe(List.of(requestTopic));
        this.thread = new Thread(this::run, "kafka-responder-" + requestTopic);
        thread.setDaemon(true);
        thread.start();
    }

    /** How many requests it answered. */
    public int answered() {
        return answered.get();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    reply(record);
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void reply(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        Answer reply = answer.apply(new Request(new String(record.value(), StandardCharsets.UTF_8), headers));
        if (reply == null) {
            return; // silent: the caller times out
        }
        ProducerRecord<byte[], byte[]> response = new ProducerRecord<>(responseTopic, null, null,
                reply.body().getBytes(StandardCharsets.UTF_8));
        response.headers().add("x-plt-kafka-hooks-correlation-id",
                headers.get("x-plt-kafka-hooks-correlation-id").getBytes(StandardCharsets.UTF_8));
        if (reply.status() != null) {
            response.headers().add("x-status-code", reply.status().getBytes(StandardCharsets.UTF_8));
        }
        if (reply.contentType() != null) {
            response.headers().add("content-type", reply.contentType().getBytes(StandardCharsets.UTF_8));
        }
        producer.send(response);
        producer.flush();
        answered.incrementAndGet();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
        producer.close(Duration.ofSeconds(2));
    }
}
