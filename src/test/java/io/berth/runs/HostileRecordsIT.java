package io.berth.runs;

import static io.berth.runs.Runs.inputs;
import static io.berth.runs.Runs.v1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Records written to hurt: each ends as a dead letter with its reason, its offset is committed, and
 * the runs after it on the same partition are handled. Nothing from them forges a log line.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class HostileRecordsIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final int PARTITION = 0;
    /** {@code {PORT_ORG_ID}.berth}: the group Berth joins when KAFKA_CONSUMER_GROUP_ID is not set. */
    static final String GROUP = KafkaBrokerResource.ORG_ID + ".berth";
    /** {@code %test.berth.runs.max-record-bytes}, which is also the dead-letter producer's max.request.size. */
    static final int MAX_RECORD_BYTES = 65_536;

    static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOGGED.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    PortStandIn port = PortStandInResource.standIn();
    KafkaCompanion kafka = KafkaBrokerResource.companion();

    @BeforeAll
    static void captureLogLines() {
        Logger.getLogger("io.berth").addHandler(CAPTURE);
    }

    @AfterAll
    static void stopCapturing() {
        Logger.getLogger("io.berth").removeHandler(CAPTURE);
    }

    @Test
    void deadLettersEachHostileRecordCommitsItAndHandlesTheRunsAfterIt() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        String trailing = runId();
        String first = runId();
        String second = runId();
        String overlong = runId();
        String forgedAction = runId();
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("nesting", utf8(run(runId(), "\"pad\":" + "[".repeat(1_001) + "]".repeat(1_001))));
        hostile.put("number", utf8(run(runId(), "\"pad\":" + "9".repeat(1_001))));
        hostile.put("name", utf8(run(runId(), "\"" + "k".repeat(60_000) + "\":1")));
        hostile.put("trailing", utf8(run(trailing, "\"pad\":1") + " and then some"));
        hostile.put("concatenated", utf8(run(first, "\"pad\":1") + run(second, "\"pad\":2")));
        String beforeOverlong = run(overlong, "\"pad\":\"a");
        hostile.put("overlong", concat(beforeOverlong.substring(0, beforeOverlong.length() - 1),
                new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}"));
        hostile.put("dot", utf8(run(".", "\"pad\":1")));
        hostile.put("dotdot", utf8(run("..", "\"pad\":1")));
        hostile.put("slash", utf8(run("r_1/../../blueprints", "\"pad\":1")));
        hostile.put("newline", utf8(run("r_1\\nINFO forged", "\"pad\":1")));
        // Just under the record limit: with the dead-letter headers it is over the producer's limit.
        String nearLimit = "{\"pad\":\"" + "x".repeat(MAX_RECORD_BYTES - 100) + "\"}";
        hostile.put("near-limit", utf8(nearLimit));
        Map<String, String> keys = new LinkedHashMap<>();
        hostile.keySet().forEach(kind -> keys.put(kind, "hostile-" + batch + "-" + kind));

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        hostile.forEach((kind, value) -> records.add(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, PARTITION,
                keys.get(kind), value)));
        records.add(record("unclaimed", utf8(v1(forgedAction, "nobody\n2026-11-20 09:14:03,512 INFO  [io.berth] forged",
                null, null).toString())));
        String after = runId();
        records.add(record("after", utf8(v1(after, "test_echo", null, inputs("name", "after")).toString())));
        long afterOffset = kafka.produce(String.class, byte[].class).fromRecords(records).awaitCompletion(WITHIN)
                .getLastRecord().offset();

        await().atMost(WITHIN).until(() -> port.terminalStatus(after).isPresent());
        assertThat(port.terminalStatus(after)).contains("SUCCESS");
        Map<String, ConsumerRecord<String, String>> dead = deadLetters(keys.values());
        assertThat(reason(dead, keys.get("nesting"))).startsWith("JSON beyond the parser's limits").contains("nesting depth");
        assertThat(reason(dead, keys.get("number"))).startsWith("JSON beyond the parser's limits").contains("Number value length");
        assertThat(reason(dead, keys.get("name"))).startsWith("JSON beyond the parser's limits").contains("Name length");
        assertThat(reason(dead, keys.get("trailing"))).startsWith("text after the JSON value");
        assertThat(reason(dead, keys.get("concatenated"))).startsWith("text after the JSON value");
        assertThat(reason(dead, keys.get("overlong"))).startsWith("not UTF-8: malformed byte sequence at byte");
        for (String kind : List.of("dot", "dotdot", "slash", "newline")) {
            assertThat(reason(dead, keys.get(kind))).as(kind).startsWith("unusable run id");
        }
        ConsumerRecord<String, String> tooLarge = dead.get(keys.get("near-limit"));
        assertThat(reason(dead, keys.get("near-limit"))).startsWith("no run id");
        assertThat(tooLarge.value()).isEmpty();
        assertThat(header(tooLarge, "dead-letter-value-omitted")).isEqualTo(nearLimit.length() + " bytes");
        for (String runId : List.of(trailing, first, second, overlong)) {
            assertThat(port.requestsFor(runId)).as(runId).isEmpty();
        }
        // Everything up to and including the run after them is committed.
        TopicPartition partition = new TopicPartition(KafkaBrokerResource.RUNS_TOPIC, PARTITION);
        await().atMost(WITHIN).untilAsserted(() -> {
            OffsetAndMetadata committed = kafka.consumerGroups().offsets(GROUP, partition);
            assertThat(committed).isNotNull();
            assertThat(committed.offset()).isGreaterThan(afterOffset);
        });
        // The action's newline is escaped in the log line that names it, so it starts no line of its own.
        List<String> aboutForgedRun = LOGGED.stream().filter(line -> line.contains(forgedAction)).toList();
        assertThat(aboutForgedRun).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        assertThat(aboutForgedRun).anySatisfy(line -> assertThat(line).contains("nobody\\n2026-11-20"));
    }

    private static String runId() {
        return "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A claimed run (action test_echo) with {@code runId} and one more member. */
    private static String run(String runId, String member) {
        return "{\"context\":{\"runId\":\"" + runId + "\"},\"payload\":{\"action\":{\"identifier\":\"test_echo\"}},"
                + member + "}";
    }

    private static ProducerRecord<String, byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, PARTITION, key, value);
    }

    private Map<String, ConsumerRecord<String, String>> deadLetters(java.util.Collection<String> keys) {
        // The dead-letter topic is shared with other tests: read until this test's are all there.
        ConsumerTask<String, String> task = kafka.consumeStrings().fromTopics(KafkaBrokerResource.DEAD_LETTER_TOPIC);
        try {
            await().atMost(WITHIN).until(() -> task.getRecords().stream().map(ConsumerRecord::key).toList()
                    .containsAll(keys));
            Map<String, ConsumerRecord<String, String>> byKey = new LinkedHashMap<>();
            task.getRecords().stream().filter(r -> keys.contains(r.key())).forEach(r -> byKey.put(r.key(), r));
            return byKey;
        } finally {
            task.stop();
        }
    }

    private static String reason(Map<String, ConsumerRecord<String, String>> dead, String key) {
        return header(dead.get(key), "dead-letter-reason");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(utf8(before));
        bytes.writeBytes(middle);
        bytes.writeBytes(utf8(after));
        return bytes.toByteArray();
    }
}
