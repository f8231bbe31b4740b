package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The least a JVM bridge can do, as a process of its own started cold on the image's java and
 * {@code JAVA_OPTS}: one KafkaConsumer and Vert.x's HTTP client, reading the same kafka-hooks file
 * as the peers. It has no group, commits nothing, keeps no order, never retries and writes no dead
 * letter: whatever Berth does per record, this does not. Its rows are the ceiling a bridge on this
 * JVM and this client cannot beat over the workload, JIT warm-up included (the harness's own client
 * ceiling is measured warm).
 *
 * <pre>
 *  poll (500 records) ─► per record: permit (concurrency) ─► POST value ─► answer read ─► permit back
 *                     └► with batch.maxRecords: up to that many values in one JSON array per POST
 * </pre>
 *
 * <p>Usage: {@code BareJvmBridge <platformatic.json>}; prints {@value #READY} once its consumer and
 * client exist, then delivers until stopped.
 */
public final class BareJvmBridge {

    static final String READY = "bare bridge ready";

    private BareJvmBridge() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        JsonNode kafka = new ObjectMapper().readTree(Files.readString(Path.of(args[0]))).path("kafka");
        JsonNode subscription = kafka.path("topics").path(0);
        String topic = subscription.path("topic").asText();
        RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(subscription.path("url").asText()).putHeader("Content-Type", "application/json");
        int concurrency = kafka.path("concurrency").asInt(10);
        int batch = subscription.path("batch").path("maxRecords").asInt(0);

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(concurrency).setKeepAlive(true));
        Semaphore permits = new Semaphore(concurrency);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.path("brokers").path(0).asText(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo partition : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, partition.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            System.out.println(READY);
            System.out.flush();
            List<byte[]> pending = new ArrayList<>();
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (batch <= 1) {
                        send(client, post, permits, Buffer.buffer(record.value()));
                        continue;
                    }
                    pending.add(record.value());
                    if (pending.size() == batch) {
                        send(client, post, permits, array(pending));
                    }
                }
                if (!pending.isEmpty()) {
                    send(client, post, permits, array(pending));
                }
            }
        }
    }

    /** The values as one JSON array (each value is a JSON document), and {@code values} emptied. */
    private static Buffer array(List<byte[]> values) {
        Buffer body = Buffer.buffer(values.size() * (BridgeBench.RECORD_BYTES + 1) + 2).appendByte((byte) '[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                body.appendByte((byte) ',');
            }
            body.appendBytes(values.get(i));
        }
        values.clear();
        return body.appendByte((byte) ']');
    }

    private static void send(HttpClient client, RequestOptions post, Semaphore permits, Buffer body)
            throws InterruptedException {
        permits.acquire();
        client.request(post).compose(request -> request.send(body)).compose(response -> response.body())
                .onComplete(answered -> {
                    if (answered.failed()) {
                        System.err.println("bare bridge: " + answered.cause());
                    }
                    permits.release();
                });
    }
}
