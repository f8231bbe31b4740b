package io.berth.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.berth.config.Secret;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.webhook.PortSignature;

/**
 * What the production-jar tests run Berth against: the shared broker, a Port stand-in, and a webhook
 * receiver whose {@code /hooks/...} answer 200 {@code {"ok":true}}; plus port-agent's environment for
 * one organisation and agent webhook runs signed as Port signs them.
 */
final class JarWorld implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final PortStandIn port;
    final WireMockServer receiver;

    private JarWorld(PortStandIn port, WireMockServer receiver) {
        this.port = port;
        this.receiver = receiver;
    }

    /** @param receiverThreads as many as runs may call at once; @param answerMillis the receiver's delay */
    static JarWorld start(int receiverThreads, int answerMillis) {
        PortStandIn port = PortStandIn.start();
        WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(receiverThreads));
        receiver.start();
        receiver.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}").withFixedDelay(answerMillis)));
        return new JarWorld(port, receiver);
    }

    /** port-agent's variables for {@code org}, with port-agent's example mapping file; runs produced before start are read. */
    Map<String, String> env(String org) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT_ORG_ID", org);
        env.put("PORT_CLIENT_ID", PortStandIn.CLIENT_ID);
        env.put("PORT_CLIENT_SECRET", PortStandIn.CLIENT_SECRET);
        env.put("PORT_API_BASE_URL", port.baseUrl().toString());
        env.put("KAFKA_BROKERS", KafkaBrokerResource.bootstrapServers());
        env.put("CONTROL_THE_PAYLOAD_CONFIG_PATH", Path.of("src/test/resources/examples/control-the-payload.json")
                .toAbsolutePath().toString());
        env.put("BERTH_RUNS_SHUTDOWN_GRACE", "20s");
        env.put("KAFKA_CONSUMER_AUTO_OFFSET_RESET", "smallest");
        return env;
    }

    /**
     * A replica of the jar in {@code org}'s consumer group, reading the runs topic from its start, whose
     * consumer's client id is {@code name}, so that the group's members can be told apart.
     */
    BerthProcess replica(String name, String org) {
        Map<String, String> env = env(org);
        env.put("KAFKA_CONSUMER_AUTO_OFFSET_RESET", "earliest");
        env.put("MP_MESSAGING_INCOMING_RUNS_CLIENT_ID", name);
        return BerthProcess.start(name, env);
    }

    /**
     * A synchronized agent webhook run of {@code action} on entity {@code svc-{runId}} that port-agent's
     * default mapping sends to {@code /hooks/{hookPath}}, signed as Port signs it (Berth runs no other
     * through the mapping file).
     */
    ObjectNode agentRun(String runId, String action, String hookPath, ObjectNode properties) {
        ObjectNode message = JSON.createObjectNode();
        message.putObject("context").put("entity", "svc-" + runId).put("blueprint", "service").put("runId", runId);
        ObjectNode payload = message.putObject("payload");
        payload.putObject("action").put("identifier", action).putObject("invocationMethod")
                .put("type", "WEBHOOK").put("agent", true).put("synchronized", true).put("method", "POST")
                .put("url", receiver.baseUrl() + "/hooks/" + hookPath);
        payload.set("properties", properties);
        PortSignature.signAsPort(message, Secret.of(PortStandIn.CLIENT_SECRET), Instant.now().getEpochSecond());
        return message;
    }

    /** How many of {@code runIds} Port has a terminal status for. */
    long ended(List<String> runIds) {
        return runIds.stream().filter(runId -> port.terminalStatus(runId).isPresent()).count();
    }

    @Override
    public void close() {
        receiver.stop();
        port.stop();
    }
}
