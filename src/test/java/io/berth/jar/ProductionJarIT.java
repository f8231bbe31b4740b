package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
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
 * The packaged application as users run it: {@code java -jar quarkus-run.jar}, configured only by
 * port-agent's environment variables, running port-agent's own mapping file against a real broker
 * and reporting to a Port stand-in; killed, restarted, stopped, and misconfigured.
 */
class ProductionJarIT {

    static final Duration WITHIN = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    static JarWorld world;
    static PortStandIn port;
    static WireMockServer receiver;
    static KafkaCompanion kafka;

    @BeforeAll
    static void startWorld() {
        world = JarWorld.start(64, 30);
        port = world.port;
        receiver = world.receiver;
        kafka = KafkaBrokerResource.companion();
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }

    @Test
    void refusesToStartWithoutAnOrganisationAndNamesTheVariable() throws Exception {
        Map<String, String> env = env("org_none");
        env.remove("PORT_ORG_ID");
        try (BerthProcess berth = BerthProcess.start("no-org", env)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("PORT_ORG_ID is not set");
        }
    }

    @Test
    void refusesAConsumerGroupOutsideTheOrganisation() throws Exception {
        Map<String, String> env = env("org_group");
        env.put("KAFKA_CONSUMER_GROUP_ID", "someone-else.berth");
        try (BerthProcess berth = BerthProcess.start("bad-group", env)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("KAFKA_CONSUMER_GROUP_ID 'someone-else.berth' must start with 'org_group.'");
        }
    }

    @Test
    void refusesRetriesThatCouldNeverReportAndARecordLimitThatRefusesEveryRecord() throws Exception {
        Map<String, String> env = env("org_limits");
        env.put("BERTH_PORT_RETRY_MAX_ATTEMPTS", "0");
        env.put("BERTH_PORT_RETRY_MULTIPLIER", "0.5");
        env.put("BERTH_RUNS_MAX_RECORD_BYTES", "0");
        try (BerthProcess berth = BerthProcess.start("bad-limits", env)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("BERTH_PORT_RETRY_MAX_ATTEMPTS must be at least 1, was 0")
                    .contains("BERTH_PORT_RETRY_MULTIPLIER must be at least 1")
                    .contains("BERTH_RUNS_MAX_RECORD_BYTES must be at least 1024, was 0");
        }
    }

    @Test
    void refusesABooleanSettingThatIsNeitherTrueNorFalse() throws Exception {
        Map<String, String> env = env("org_bool");
        env.put("BERTH_CONSOLE_ENABLED", "yes");
        try (BerthProcess berth = BerthProcess.start("bad-boolean", env)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("berth.console.enabled").contains("'yes' is not a boolean: write true or false");
        }
    }

    @Test
    void refusesAMappingFileWhoseJqDoesNotCompileAndNamesTheEntry() throws Exception {
        Path mapping = Files.createTempFile("bad-mapping", ".json");
        Files.writeString(mapping, "[{\"enabled\": true}, {\"enabled\": true, \"url\": \".payload | (((\"}]");
        Map<String, String> env = env("org_badmap");
        env.put("CONTROL_THE_PAYLOAD_CONFIG_PATH", mapping.toString());
        try (BerthProcess berth = BerthProcess.start("bad-mapping", env)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("entry [1]").contains("url").contains("does not compile");
        }
    }

    @Test
    void refusesAMappingKeyTypoAndANonBooleanVerifySsl() throws Exception {
        Path mapping = Files.createTempFile("typo-mapping", ".json");
        Files.writeString(mapping, "[{\"enabled\": true}, {\"enabled\": true, \"urll\": \".payload.properties.url\"}]");
        Map<String, String> env = env("org_typo");
        env.put("CONTROL_THE_PAYLOAD_CONFIG_PATH", mapping.toString());
        try (BerthProcess berth = BerthProcess.start("typo-mapping", env)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("entry [1], field \"urll\": unknown key, did you mean \"url\"?");
        }
        Map<String, String> ssl = env("org_ssl");
        ssl.put("WEBHOOK_VERIFY_SSL", "ture");
        try (BerthProcess berth = BerthProcess.start("verify-ssl-typo", ssl)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("webhook.verify-ssl").contains("'ture' is not a boolean: write true or false");
        }
    }

    @Test
    void refusesPortAgentSettingsThatCannotWorkNamingTheVariableAndNoProxyCredentials() throws Exception {
        Map<String, String> outbound = env("org_outbound");
        outbound.put("SSL_CERT_FILE", "/nonexistent/berth/ca.pem");
        outbound.put("HTTPS_PROXY", "socks5://agent:pr0xy-s3cret@socks.corp:1080");
        try (BerthProcess berth = BerthProcess.start("outbound-refused", outbound)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("SSL_CERT_FILE=/nonexistent/berth/ca.pem is not a readable file")
                    .contains("HTTPS_PROXY 'socks5://socks.corp:1080'").doesNotContain("pr0xy-s3cret");
        }
        Map<String, String> agent = env("org_agent");
        agent.put("LOG_LEVEL", "verbose");
        agent.put("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "100");
        try (BerthProcess berth = BerthProcess.start("port-agent-refused", agent)) {
            assertThat(berth.awaitExit(WITHIN)).isNotNull().isNotZero();
            assertThat(berth.output()).contains("LOG_LEVEL must be one of").contains("'verbose'")
                    .contains("KAFKA_CONSUMER_SESSION_TIMEOUT_MS must be between 6000 and 1800000");
        }
    }

    @Test
    void losesAndRepeatsNothingThroughAKillARestartAPortOutageAndAGracefulStop() throws Exception {
        String org = "org_jar";
        Map<String, String> env = env(org);
        List<String> firstBatch = produceRuns(org, 150);

        Set<String> endedBeforeKill;
        try (BerthProcess first = BerthProcess.start("first", env)) {
            await().atMost(WITHIN).until(() -> ended(firstBatch) >= 40);
            endedBeforeKill = firstBatch.stream().filter(runId -> port.terminalStatus(runId).isPresent())
                    .collect(Collectors.toSet());
            first.kill();
        }
        assertThat(endedBeforeKill.size()).isLessThan(firstBatch.size());

        try (BerthProcess second = BerthProcess.start("second", env)) {
            await().atMost(WITHIN).until(second::ready);
            port.failNext(30, 503);
            List<String> secondBatch = produceRuns(org, 20);
            await().atMost(WITHIN).until(() -> ended(firstBatch) == firstBatch.size()
                    && ended(secondBatch) == secondBatch.size());

            for (String runId : concat(firstBatch, secondBatch)) {
                assertThat(port.terminalStatus(runId)).as(runId).contains("SUCCESS");
                assertThat(port.terminalWrites(runId)).as(runId).isEqualTo(1);
            }
            // A run whose end Port had before the kill is never sent to the webhook again.
            for (String runId : endedBeforeKill) {
                assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hooks/" + runId)))).as(runId).hasSize(1);
            }

            // SIGTERM with runs in flight: they finish and are reported before the process exits.
            receiver.stubFor(post(urlPathMatching("/hooks/slow-.*")).willReturn(aResponse().withStatus(200)
                    .withFixedDelay(2_000)));
            List<String> inFlight = produceRuns(org, 5, "slow-");
            await().atMost(WITHIN).until(() -> inFlight.stream().allMatch(runId ->
                    !receiver.findAll(postRequestedFor(urlEqualTo("/hooks/slow-" + runId))).isEmpty()));
            second.terminate();
            Integer exit = second.awaitExit(Duration.ofSeconds(30));
            assertThat(exit).isNotNull();
            assertThat(second.output()).as("exit code %s", exit).contains("Every in-flight run has ended");
            inFlight.forEach(runId -> assertThat(port.terminalStatus(runId)).as(runId).contains("SUCCESS"));
        }
    }

    @Test
    void isNotReadyUntilItCanConsume() throws Exception {
        Map<String, String> env = env("org_unready");
        env.put("KAFKA_BROKERS", "127.0.0.1:1"); // nothing listens there
        try (BerthProcess berth = BerthProcess.start("unready", env)) {
            await().atMost(WITHIN).until(() -> berth.readinessStatus() != -1);
            for (int i = 0; i < 5; i++) {
                assertThat(berth.readinessStatus()).isEqualTo(503);
                Thread.sleep(500);
            }
        }
    }

    @Test
    void fetchesBrokersFromPortWhenNoneAreGiven() throws Exception {
        String org = "org_creds";
        port.kafkaCredentials(List.of(KafkaBrokerResource.bootstrapServers()), "berth-user", "kafka-password");
        Map<String, String> env = env(org);
        env.remove("KAFKA_BROKERS");
        // Port's brokers need SASL_SSL; the local broker speaks PLAINTEXT, so say so.
        env.put("KAFKA_CONSUMER_SECURITY_PROTOCOL", "PLAINTEXT");
        List<String> runs = produceRuns(org, 3);
        try (BerthProcess berth = BerthProcess.start("credentials", env)) {
            await().atMost(WITHIN).until(() -> ended(runs) == runs.size());
            assertThat(berth.output()).contains("fetching brokers and credentials from Port")
                    .doesNotContain("kafka-password");
        }
    }

    @Test
    void warnsWhenAnotherConsumerOwnsEveryPartition() throws Exception {
        String org = "org_standby";
        produceRuns(org, 1); // creates the topic with the broker's default of one partition
        Map<String, String> env = env(org);
        try (BerthProcess active = BerthProcess.start("active", env)) {
            await().atMost(WITHIN).until(active::ready);
            try (BerthProcess standby = BerthProcess.start("standby", env)) {
                await().atMost(WITHIN).until(() -> standby.output().contains("assigned no partition")
                        || active.output().contains("assigned no partition"));
            }
        }
    }

    private static Map<String, String> env(String org) {
        Map<String, String> env = world.env(org);
        env.put("WEBHOOK_INVOKER_TIMEOUT", "10");
        return env;
    }

    private static List<String> produceRuns(String org, int count) {
        return produceRuns(org, count, "");
    }

    /** Synchronized agent webhook runs that port-agent's default mapping sends to the receiver. */
    private static List<String> produceRuns(String org, int count, String pathPrefix) {
        List<String> runIds = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            runIds.add(runId);
            ObjectNode message = world.agentRun(runId, "notify_" + i % 3, pathPrefix + runId,
                    JSON.createObjectNode().put("n", i));
            records.add(new ProducerRecord<>(org + ".runs", "svc-" + runId, message.toString()));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(WITHIN);
        return runIds;
    }

    private static long ended(List<String> runIds) {
        return world.ended(runIds);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
