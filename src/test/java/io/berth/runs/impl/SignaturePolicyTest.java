package io.berth.runs.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.berth.config.SignatureRequirement;
import io.berth.delivery.InboundRecord;
import io.berth.webhook.PortSignature;

/**
 * BERTH_RUNS_REQUIRE_SIGNATURE, through the parser: which records run and which are dead-lettered,
 * for every setting, invocation method and kind of signature.
 */
class SignaturePolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Secret SECRET = Secret.of("test-client-secret");
    private static final long SIGNED_AT = 1_795_432_443L;

    @ParameterizedTest(name = "{0}, {1} invocation, {2}: {3}")
    @CsvSource({
            // setting,     invocation, signature, outcome
            "ALWAYS,         webhook,   valid,     runs",
            "ALWAYS,         webhook,   none,      dead-lettered",
            "ALWAYS,         webhook,   forged,    dead-lettered",
            "ALWAYS,         kafka,     valid,     runs",
            "ALWAYS,         kafka,     none,      dead-lettered",
            "ALWAYS,         unknown,   none,      dead-lettered",
            "UNLESS_KAFKA,   webhook,   valid,     runs",
            "UNLESS_KAFKA,   webhook,   none,      dead-lettered",
            "UNLESS_KAFKA,   webhook,   forged,    dead-lettered",
            "UNLESS_KAFKA,   webhook,   stripped,  dead-lettered",
            "UNLESS_KAFKA,   gitlab,    valid,     runs",
            "UNLESS_KAFKA,   gitlab,    none,      dead-lettered",
            "UNLESS_KAFKA,   kafka,     valid,     runs",
            "UNLESS_KAFKA,   kafka,     none,      runs",
            "UNLESS_KAFKA,   kafka,     forged,    dead-lettered",
            "UNLESS_KAFKA,   unknown,   valid,     runs",
            "UNLESS_KAFKA,   unknown,   none,      dead-lettered",
            "UNLESS_KAFKA,   disguised, none,      dead-lettered",
            "AGENT_WEBHOOKS, webhook,   valid,     runs",
            "AGENT_WEBHOOKS, webhook,   none,      dead-lettered",
            "AGENT_WEBHOOKS, webhook,   forged,    dead-lettered",
            "AGENT_WEBHOOKS, gitlab,    none,      dead-lettered",
            "AGENT_WEBHOOKS, kafka,     none,      runs",
            "AGENT_WEBHOOKS, unknown,   none,      runs",
            "AGENT_WEBHOOKS, unknown,   forged,    dead-lettered",
            "AGENT_WEBHOOKS, disguised, none,      dead-lettered",
    })
    void decidesWhichRunsMayRun(SignatureRequirement setting, String invocation, String signature, String outcome) {
        ParsedRecord parsed = parser(setting).parse(record(message(invocation, signature)));

        if (outcome.equals("runs")) {
            assertThat(parsed).isInstanceOf(ParsedRecord.Run.class);
            ParsedRecord.Run run = (ParsedRecord.Run) parsed;
            assertThat(run.signedAt()).isEqualTo(signature.equals("valid") ? Instant.ofEpochSecond(SIGNED_AT) : null);
            assertThat(run.run().message().path("headers").has(PortSignature.SIGNATURE_HEADER)).isFalse();
        } else {
            assertThat(parsed).isInstanceOf(ParsedRecord.Unusable.class);
            assertThat(((ParsedRecord.Unusable) parsed).reason()).containsAnyOf("unsigned", "X-Port-Signature");
        }
    }

    private static RunMessageParser parser(SignatureRequirement setting) {
        return new RunMessageParser(JSON, SECRET, 1 << 20, new SignaturePolicy(setting));
    }

    private static InboundRecord record(ObjectNode message) {
        return new InboundRecord("org.runs", 0, 1, "k", message.toString().getBytes(StandardCharsets.UTF_8),
                () -> java.util.concurrent.CompletableFuture.completedFuture(null));
    }

    /** A v1 run: {@code disguised} says KAFKA where the mapping looks and WEBHOOK at the top level. */
    private static ObjectNode message(String invocation, String signature) {
        ObjectNode message = JSON.createObjectNode();
        message.putObject("context").put("runId", "r_1").put("entity", "checkout").put("blueprint", "service");
        ObjectNode action = message.putObject("payload").putObject("action").put("identifier", "deploy");
        switch (invocation) {
            case "webhook" -> action.putObject("invocationMethod").put("type", "WEBHOOK").put("agent", true)
                    .put("url", "http://deployer.internal/deploy");
            case "gitlab" -> action.putObject("invocationMethod").put("type", "GITLAB").put("agent", true);
            case "kafka" -> action.putObject("invocationMethod").put("type", "KAFKA");
            case "disguised" -> {
                action.putObject("invocationMethod").put("type", "KAFKA");
                message.putObject("invocationMethod").put("type", "WEBHOOK").put("agent", true);
            }
            default -> {
            }
        }
        message.with("payload").putObject("properties").put("version", "1.4.2");
        if (!signature.equals("none")) {
            PortSignature.signAsPort(message, SECRET, SIGNED_AT);
        }
        if (signature.equals("forged")) {
            message.with("payload").with("properties").put("version", "6.6.6");
        }
        if (signature.equals("stripped")) {
            message.with("headers").remove(PortSignature.SIGNATURE_HEADER);
        }
        return message;
    }
}
