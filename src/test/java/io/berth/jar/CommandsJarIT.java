package io.berth.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code java -jar quarkus-run.jar validate} and {@code list} as operators run them, against the
 * shared broker and the Port stand-in: every check passes on a working configuration and joins no
 * consumer group; a wrong Port secret, a missing topic and a bad bridge file each are a FAIL line
 * naming the problem, with a non-zero exit; {@code list} names what handles each action, trigger,
 * bridge subscription, publish topic and route. No secret is in any of their output.
 */
class CommandsJarIT {

    static final Duration WITHIN = Duration.ofSeconds(90);
    static final String ORG = "org_cmd";
    static final String TRIGGER_TOPIC = "cmd.orders";
    static final String BRIDGE_TOPIC = "cmd.events";
    static final String OAUTH_CLIENT_SECRET = "oauth-secret-" + UUID.randomUUID();

    static JarWorld world;
    static KafkaCompanion kafka;

    @BeforeAll
    static void startWorld() {
        world = JarWorld.start(10, 0);
        kafka = KafkaBrokerResource.companion();
        for (String topic : List.of(ORG + ".runs", ORG + ".runs.dlq", ORG + ".change.log", ORG + ".change.log.dlq",
                TRIGGER_TOPIC, TRIGGER_TOPIC + ".dlq", BRIDGE_TOPIC, BRIDGE_TOPIC + ".dlq", "cmd.audit", "cmd.rq",
                "cmd.rs")) {
            KafkaBrokerResource.createTopic(topic, 1);
        }
    }

    @AfterAll
    static void stopWorld() {
        world.close();
    }

    @Test
    void validatePassesEveryCheckOfAWorkingConfigurationAndJoinsNoConsumerGroup() throws Exception {
        int tokenCalls = world.port.tokenCalls();
        String output = run("validate-ok", env(TRIGGER_TOPIC, bridgeFile("ok", true)), 0, "validate");

        assertThat(output).contains("OK   settings: valid; runs consumed from " + ORG + ".runs")
                .contains("OK   mapping file: ").contains("OK   triggers file: ").contains("OK   bridge file: ")
                .contains("OK   port: credentials of PORT_CLIENT_ID '" + PortStandIn.CLIENT_ID + "' accepted by "
                        + world.port.baseUrl())
                .contains("OK   kafka: " + KafkaBrokerResource.bootstrapServers() + " reachable (1 broker)")
                .contains("OK   topic " + ORG + ".runs: exists, 1 partition (runs, consumed)")
                .contains("OK   topic " + TRIGGER_TOPIC + ": exists, 1 partition (consumed by trigger 'orders')")
                .contains("OK   topic cmd.rs: exists").contains("valid: ").doesNotContain("FAIL");
        assertThat(world.port.tokenCalls()).as("one token call").isEqualTo(tokenCalls + 1);
        assertThat(kafka.consumerGroups().list()).as("validate joins no group")
                .noneMatch(group -> List.of(ORG + ".berth", "cmd-trigger", "cmd-bridge").contains(group.groupId()));
        assertNoSecretIn(output);
    }

    @Test
    void validateNamesAWrongPortSecretAMissingTopicAndABadBridgeFileAndExitsNonZero() throws Exception {
        Map<String, String> env = env("cmd.missing", bridgeFile("bad", false));
        env.put("PORT_CLIENT_SECRET", "wrong-secret-" + UUID.randomUUID());
        String output = run("validate-failing", env, 1, "validate");

        assertThat(output).contains("FAIL port: " + world.port.baseUrl() + " refused PORT_CLIENT_ID '"
                + PortStandIn.CLIENT_ID + "' and PORT_CLIENT_SECRET (401): copy both from Port")
                .contains("FAIL topic cmd.missing: does not exist on " + KafkaBrokerResource.bootstrapServers()
                        + " (consumed by trigger 'orders'): create it")
                .contains("FAIL bridge file: ").contains("topics[0] (topic '" + BRIDGE_TOPIC + "'): url must be")
                .contains("OK   topic " + ORG + ".runs: exists")
                .contains("invalid: 4 of ");
        assertThat(output).doesNotContain(env.get("PORT_CLIENT_SECRET"));
        assertNoSecretIn(output);
    }

    @Test
    void validateGoesOnPastSettingsThatStopStartUpPrintingEachAndEveryCheckItCanStillRun() throws Exception {
        Map<String, String> env = env(TRIGGER_TOPIC, bridgeFile("startup", true));
        env.put("BERTH_EVENTS_QUEUE_CAPACITY", "0");
        env.put("BERTH_PUBLISH_SCHEMA_REFRESH", "0s");
        env.put("BERTH_SCALE_NAMESPACES", "Shop"); // an example handler configured wrongly
        String output = run("validate-startup", env, 1, "validate");

        assertThat(output).contains("FAIL start-up: BERTH_EVENTS_QUEUE_CAPACITY must be at least 1, was 0")
                .contains("FAIL start-up: BERTH_PUBLISH_SCHEMA_REFRESH must be at least 1s")
                .contains("FAIL start-up: BERTH_SCALE_NAMESPACES holds 'Shop', which is not a namespace name")
                .contains("OK   settings: valid").contains("OK   triggers file: ")
                .contains("OK   port: credentials of PORT_CLIENT_ID '" + PortStandIn.CLIENT_ID + "' accepted by ")
                .contains("OK   topic " + ORG + ".runs: exists")
                .contains("invalid: 3 of ")
                .doesNotContain("the other checks did not run");
        assertNoSecretIn(output);
    }

    @Test
    void listNamesWhatHandlesEachActionTriggerSubscriptionPublishTopicAndRoute() throws Exception {
        String output = run("list", env(TRIGGER_TOPIC, bridgeFile("list", true)), 0, "list");

        assertThat(output).containsPattern("action +mapping\\[1] +runs where \\.payload\\.action\\.identifier == "
                + "\"deploy_service\" -> webhook POST \"http://deployer.internal/deploy\"")
                .containsPattern("trigger +orders +topic " + TRIGGER_TOPIC + " \\(group cmd-trigger\\) -> webhook "
                        + "POST http://localhost:" + world.receiver.port() + "/hooks/orders")
                .containsPattern("bridge +" + BRIDGE_TOPIC + " +POST http://localhost:" + world.receiver.port()
                        + "/hooks/events \\(OAuth2 client credentials from http://localhost:\\d+/token\\), dead "
                        + "letters to " + BRIDGE_TOPIC + ".dlq")
                .containsPattern("publish +cmd.audit +POST /topics/cmd.audit")
                .containsPattern("route +POST /api/orders/:id +request to cmd.rq, reply from cmd.rs within 30 s")
                .containsPattern("action +\\(not offered\\) +java:ScaffoldService: BERTH_SCAFFOLD_REMOTE_URL and "
                        + "BERTH_SCAFFOLD_TEMPLATE_DIR are not set")
                .containsPattern("action +\\(not offered\\) +java:ScaleService: BERTH_SCALE_NAMESPACES is not set");
        assertNoSecretIn(output);
    }

    /** The Port client secret, the bridge's OAuth client secret and the token Port hands these credentials. */
    private static void assertNoSecretIn(String output) throws IOException, InterruptedException {
        assertThat(output).doesNotContain(PortStandIn.CLIENT_SECRET).doesNotContain(OAUTH_CLIENT_SECRET)
                .doesNotContain(portToken());
    }

    /** Port answers every token call with the same credentials with the same active token: the one validate got. */
    private static String portToken() throws IOException, InterruptedException {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(world.port.baseUrl() + "/v1/auth/access_token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"" + PortStandIn.CLIENT_ID
                        + "\",\"clientSecret\":\"" + PortStandIn.CLIENT_SECRET + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String token = JarWorld.JSON.readTree(body).path("accessToken").asText();
        assertThat(token).isNotBlank();
        return token;
    }

    private static String run(String name, Map<String, String> env, int exitCode, String command) throws Exception {
        try (BerthProcess berth = BerthProcess.start(name, env, command)) {
            Integer exit = berth.awaitExit(WITHIN);
            assertThat(exit).as("exit code of %s, output:%n%s", command, berth.output()).isEqualTo(exitCode);
            return berth.output();
        }
    }

    /** Runs, port-agent's example mapping file, one trigger of {@code triggerTopic} and the bridge. */
    private static Map<String, String> env(String triggerTopic, Path bridge) throws IOException {
        Path triggers = Files.createDirectories(Path.of("target", "jar-it")).resolve("cmd-triggers.yaml");
        Files.writeString(triggers, """
                triggers:
                  - id: orders
                    type: kafka
                    configuration: {topic: %s, consumer_group: cmd-trigger}
                    target: {webhook: {url: "%s/hooks/orders"}}
                """.formatted(triggerTopic, world.receiver.baseUrl()));
        Map<String, String> env = world.env(ORG);
        env.put("BERTH_TRIGGERS_PATH", triggers.toAbsolutePath().toString());
        env.put("BERTH_BRIDGE_PATH", bridge.toAbsolutePath().toString());
        env.put("CMD_OAUTH_CLIENT_SECRET", OAUTH_CLIENT_SECRET);
        return env;
    }

    /** @param valid false: the subscription's url is not a url */
    private static Path bridgeFile(String name, boolean valid) throws IOException {
        Path file = Files.createDirectories(Path.of("target", "jar-it")).resolve("cmd-bridge-" + name + ".json");
        Files.writeString(file, """
                {"kafka": {"topics": [{"topic": "%s", "url": "%s", "dlq": "%s.dlq",
                                       "auth": {"oauth2": {"tokenUrl": "%s/token", "clientId": "berth",
                                                           "clientSecret": "{CMD_OAUTH_CLIENT_SECRET}"}}}],
                           "consumer": {"groupId": "cmd-bridge"},
                           "publish": ["cmd.audit"],
                           "requestResponse": [{"path": "/api/orders/:id", "requestTopic": "cmd.rq",
                                                "responseTopic": "cmd.rs"}]}}
                """.formatted(BRIDGE_TOPIC, valid ? world.receiver.baseUrl() + "/hooks/events" : "not a url",
                BRIDGE_TOPIC, world.receiver.baseUrl()));
        return file;
    }
}
