package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged application under hostile records, as an attacker with write access to the runs
 * topic would send them: each ends in a dead letter with a reason, the partition's offset is
 * committed past all of them, the good run behind them is handled, nothing is dead-lettered twice
 * after a restart, no forged log line appears and no secret reaches the output.
 */
class HostileRecordsJarIT {

    static final Duration WITHIN = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORG = "org_hostile";
    static final String GROUP = ORG + ".berth-hostile";

    static JarWorld world;
    static PortStandIn port;
    static WireMockServer receiver;
    static KafkaCompanion kafka;

    @BeforeAll
    static void startWorld() {
        world = JarWorld.start(16, 0);
        port = world.port;
        receiver = world.receiver;
        kafka = KafkaBrokerResource.companion();
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }

    @Test
    void everyHostileRecordIsDeadLetteredOnceCommittedAndLeavesNoTrace() throws Exception {
        List<byte[]> hostile = new ArrayList<>();
        hostile.add(utf8("{\"a\":" + "[".repeat(1_500) + "]".repeat(1_500) + "}"));
        hostile.add(utf8("{\"n\":1" + "0".repeat(1_500) + "}"));
        hostile.add(utf8("{\"" + "k".repeat(60_000) + "\":1}"));
        hostile.add(utf8(signedRun("r_trailing", "trailing").toString() + " and then some"));
        hostile.add(utf8(signedRun("r_first", "first").toString() + signedRun("r_second", "second")));
        hostile.add(overlongUtf8Run());
        hostile.add(utf8(signedRun("..", "dotdot").toString()));
        hostile.add(utf8(signedRun(".", "dot").toString()));
        hostile.add(utf8(signedRun("r_x\nFORGED-LOG-LINE level=INFO", "forged").toString()));
        ObjectNode unsigned = signedRun("r_unsigned", "unsigned");
        unsigned.remove("headers");
        hostile.add(utf8(unsigned.toString()));
        String goodRun = "r_good_" + System.nanoTime();

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        hostile.forEach(value -> records.add(new ProducerRecord<>(ORG + ".runs", "k", value)));
        records.add(new ProducerRecord<>(ORG + ".runs", "k", utf8(signedRun(goodRun, "good").toString())));
        kafka.produce(String.class, byte[].class).fromRecords(records).awaitCompletion(WITHIN);

        Map<String, String> env = env();
        try (BerthProcess berth = BerthProcess.start("hostile", env)) {
            await().atMost(WITHIN).until(() -> port.terminalStatus(goodRun).isPresent());
            assertThat(port.terminalStatus(goodRun)).contains("SUCCESS");
            await().atMost(WITHIN).until(() -> committed() == records.size());
            berth.terminate();
            berth.awaitExit(Duration.ofSeconds(30));
            assertThat(berth.output())
                    .doesNotContain(PortStandIn.CLIENT_SECRET)
                    .doesNotContainPattern("(?m)^FORGED-LOG-LINE");
        }
        List<ConsumerRecord<String, byte[]>> deadLetters = kafka.consume(String.class, byte[].class)
                .withOffsetReset(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST)
                .fromTopics(ORG + ".runs.dlq", hostile.size()).awaitCompletion(WITHIN).getRecords();
        assertThat(deadLetters).hasSize(hostile.size());
        for (ConsumerRecord<String, byte[]> deadLetter : deadLetters) {
            String reason = header(deadLetter, "dead-letter-reason");
            assertThat(reason).as("offset %s", header(deadLetter, "dead-letter-offset")).isNotBlank()
                    .doesNotContain("\n").doesNotContain("\r").doesNotContain(PortStandIn.CLIENT_SECRET);
        }
        // The webhooks of the unsigned, ambiguous and forged records were never called.
        assertThat(receiver.findAll(postRequestedFor(urlPathMatching("/hooks/(unsigned|trailing|first|second|dot|dotdot|forged)"))))
                .isEmpty();
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hooks/good")))).hasSize(1);

        // Restarted, it starts after the committed offset: nothing is dead-lettered or called twice.
        try (BerthProcess again = BerthProcess.start("hostile-again", env)) {
            await().atMost(WITHIN).until(again::ready);
            Thread.sleep(3_000);
        }
        assertThat(endOffset(ORG + ".runs.dlq")).isEqualTo(hostile.size());
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hooks/good")))).hasSize(1);
    }

    /** An agent webhook run signed as Port signs it, sent to the receiver's {@code /hooks/{path}}. */
    private static ObjectNode signedRun(String runId, String path) {
        return world.agentRun(runId, "notify", path, JSON.createObjectNode().put("n", 1));
    }

    /** A signed run whose value carries an overlong UTF-8 encoding of '/' (0xC0 0xAF). */
    private static byte[] overlongUtf8Run() {
        byte[] text = utf8(signedRun("r_overlong", "overlong").toString().replace("\"n\":1", "\"n\":\"@@\""));
        String marker = "@@";
        byte[] out = new byte[text.length];
        int at = new String(text, StandardCharsets.ISO_8859_1).indexOf(marker);
        System.arraycopy(text, 0, out, 0, text.length);
        out[at] = (byte) 0xC0;
        out[at + 1] = (byte) 0xAF;
        return out;
    }

    private static long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(ORG + ".runs", 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    private static long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> env() {
        Map<String, String> env = world.env(ORG);
        env.put("KAFKA_CONSUMER_GROUP_ID", GROUP);
        env.put("BERTH_RUNS_SHUTDOWN_GRACE", "10s");
        return env;
    }
}
