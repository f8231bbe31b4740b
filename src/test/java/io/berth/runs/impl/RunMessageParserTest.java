package io.berth.runs.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.config.Secret;
import io.berth.config.SignatureRequirement;
import io.berth.delivery.InboundRecord;

/** What the parser accepts, and the reason it gives for everything it refuses. */
class RunMessageParserTest {

    static final int MAX_RECORD_BYTES = 1_048_576;
    static final String RUN = "{\"context\":{\"runId\":\"r_1\"},\"payload\":{\"action\":{\"identifier\":\"deploy\"}}}";

    final RunMessageParser parser = new RunMessageParser(new ObjectMapper(), Secret.of(""), MAX_RECORD_BYTES,
            new SignaturePolicy(SignatureRequirement.AGENT_WEBHOOKS));

    @Test
    void acceptsAWellFormedRun() {
        assertThat(parse(RUN)).isInstanceOfSatisfying(ParsedRecord.Run.class, run -> {
            assertThat(run.run().runId()).isEqualTo("r_1");
            assertThat(run.run().action()).isEqualTo("deploy");
        });
    }

    @Test
    void acceptsWhitespaceAfterTheMessage() {
        assertThat(parse(RUN + " \n\t ")).isInstanceOf(ParsedRecord.Run.class);
    }

    @Test
    void refusesNestingDeeperThanTheParserAllows() {
        String deep = "{\"context\":{\"runId\":\"r_1\"},\"pad\":" + "[".repeat(1_001) + "]".repeat(1_001) + "}";

        assertThat(reason(deep)).startsWith("JSON beyond the parser's limits").contains("nesting depth");
    }

    @Test
    void refusesANumberLongerThanTheParserAllows() {
        String longNumber = "{\"context\":{\"runId\":\"r_1\"},\"pad\":" + "9".repeat(1_001) + "}";

        assertThat(reason(longNumber)).startsWith("JSON beyond the parser's limits").contains("Number value length")
                .doesNotContain("999");
    }

    @Test
    void refusesANameLongerThanTheParserAllows() {
        String longName = "{\"context\":{\"runId\":\"r_1\"},\"" + "k".repeat(60_000) + "\":1}";

        assertThat(reason(longName)).startsWith("JSON beyond the parser's limits").contains("Name length")
                .doesNotContain("kkk");
    }

    @Test
    void refusesMalformedJsonWithItsLocationButNotItsText() {
        assertThat(reason("{\"secret\":\"hunter2\" oops}")).isEqualTo("malformed JSON at line 1, column 21");
    }

    @Test
    void refusesTextAfterTheMessage() {
        assertThat(reason(RUN + " trailing")).isEqualTo("text after the JSON value at line 1, column "
                + (RUN.length() + 1) + ": a record holds exactly one run message");
    }

    @Test
    void refusesTwoConcatenatedMessagesInsteadOfDroppingTheSecond() {
        String second = RUN.replace("r_1", "r_2");

        assertThat(reason(RUN + second)).startsWith("text after the JSON value at line 1, column " + (RUN.length() + 1));
        assertThat(reason(RUN + "\n" + second)).startsWith("text after the JSON value");
    }

    @Test
    void refusesOverlongUtf8() {
        // 0xC0 0xAF is an overlong '/': well-formed UTF-8 forbids it (RFC 3629 §3), Jackson alone accepts it.
        byte[] overlong = concat("{\"context\":{\"runId\":\"r_1\"},\"p\":\"a", new byte[] {(byte) 0xC0, (byte) 0xAF},
                "\",\"payload\":{\"action\":{\"identifier\":\"deploy\"}}}");

        assertThat(reason(overlong)).isEqualTo("not UTF-8: malformed byte sequence at byte 33");
    }

    @Test
    void refusesEncodedSurrogatesAndTruncatedSequences() {
        assertThat(reason(concat("{\"a\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}")))
                .startsWith("not UTF-8");
        assertThat(reason(concat("{\"a\":\"", new byte[] {(byte) 0xE2, (byte) 0x82}, "")))
                .isEqualTo("not UTF-8: malformed byte sequence at byte 6");
    }

    @Test
    void acceptsNonAsciiInputs() {
        String run = RUN.replace("\"payload\":{", "\"payload\":{\"properties\":{\"name\":\"Łódź—café ☕ 😀\"},");

        assertThat(parse(run)).isInstanceOfSatisfying(ParsedRecord.Run.class,
                parsed -> assertThat(parsed.run().inputs().path("name").asText()).isEqualTo("Łódź—café ☕ 😀"));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "r_1/../../entities", "r_1?x=1", "r_1#x", "r 1", "r_1\\n", "r_%2e", "ré"})
    void refusesARunIdThatIsNotOneSafePathSegment(String runId) {
        String run = "{\"context\":{\"runId\":" + new ObjectMapper().valueToTree(runId) + "},\"action\":\"deploy\"}";

        assertThat(reason(run)).isEqualTo("unusable run id of " + runId.length() + " characters: Berth sends it to "
                + "Port as one URL path segment, so it must be 1 to 256 letters, digits, '-', '_', '.' or '~', "
                + "and not '.' or '..'");
    }

    @Test
    void refusesARunIdWithAControlCharacterOrPastTheLengthLimit() {
        assertThat(reason("{\"runId\":\"r_1\\nINFO forged\",\"action\":\"deploy\"}")).startsWith("unusable run id");
        assertThat(reason("{\"runId\":\"" + "r".repeat(257) + "\",\"action\":\"deploy\"}")).startsWith("unusable run id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"r_Kp4Nd8sQ2rVt6yHa", "wfnr_7QmZp2LkT9xWvB4s", "run-1.2~3", "..."})
    void acceptsRunIdsPortIssuesAndOtherSafeSegments(String runId) {
        assertThat(parse("{\"runId\":\"" + runId + "\",\"action\":\"deploy\"}"))
                .isInstanceOfSatisfying(ParsedRecord.Run.class, run -> assertThat(run.run().runId()).isEqualTo(runId));
    }

    @Test
    void acceptsAWorkflowNodeRunAsPortAgentSeesItOnTheRunsTopicWithoutAnActionIdentifier() {
        assertThat(parse("{\"headers\":{},\"payload\":{\"action\":{\"invocationMethod\":{\"type\":\"KAFKA\"}}},"
                + "\"context\":{\"runId\":\"wfnr_abc123\"}}")).isInstanceOfSatisfying(ParsedRecord.Run.class, run -> {
                    assertThat(run.run().runId()).isEqualTo("wfnr_abc123");
                    assertThat(run.run().action()).isEqualTo(RunMessageParser.WORKFLOW_NODE_ACTION);
                });
    }

    @Test
    void aWorkflowNodeRunIsRoutedByItsNodeIdentifierWhenItHasOne() {
        assertThat(parse("{\"context\":{\"runId\":\"wfnr_1\"},\"node\":{\"identifier\":\"build_image\"},"
                + "\"invocationMethod\":{\"type\":\"KAFKA\"}}"))
                .isInstanceOfSatisfying(ParsedRecord.Run.class, run -> assertThat(run.run().action()).isEqualTo("build_image"));
        assertThat(parse("{\"context\":{\"nodeRunIdentifier\":\"wfnr_2\",\"nodeIdentifier\":\"notify\"},"
                + "\"invocationMethod\":{\"type\":\"KAFKA\"}}")).isInstanceOfSatisfying(ParsedRecord.Run.class, run -> {
                    assertThat(run.run().runId()).isEqualTo("wfnr_2");
                    assertThat(run.run().action()).isEqualTo("notify");
                });
    }

    @Test
    void acceptsANodeRunObjectAndFindsItsInvocationMethodInItsConfig() {
        assertThat(parse("{\"identifier\":\"wfnr_3\",\"status\":\"IN_PROGRESS\",\"config\":{\"type\":\"KAFKA\"},"
                + "\"pendingExecution\":true}")).isInstanceOfSatisfying(ParsedRecord.Run.class, run -> {
                    assertThat(run.run().runId()).isEqualTo("wfnr_3");
                    assertThat(run.run().message().at("/payload/action/invocationMethod/type").asText()).isEqualTo("KAFKA");
                });
        // The adopted config is what the signature policy judges: an unsigned agent webhook stays refused.
        assertThat(reason("{\"identifier\":\"wfnr_4\",\"config\":{\"type\":\"WEBHOOK\",\"agent\":true,"
                + "\"url\":\"https://example.com\"}}")).contains("unsigned run with an agent webhook invocation method");
    }

    @Test
    void onlyWorkflowNodeRunsGoWithoutAnActionAndOnlyWfnrIdentifiersAreRunIds() {
        assertThat(reason("{\"context\":{\"runId\":\"r_1\"}}")).contains("has no action identifier");
        assertThat(reason("{\"identifier\":\"service-a\",\"action\":\"deploy\"}")).startsWith("no run id");
    }

    private ParsedRecord parse(String value) {
        return parse(value.getBytes(StandardCharsets.UTF_8));
    }

    private ParsedRecord parse(byte[] value) {
        return parser.parse(new InboundRecord("org_test.runs", 0, 0, null, value,
                () -> CompletableFuture.completedFuture(null)));
    }

    private String reason(String value) {
        return reason(value.getBytes(StandardCharsets.UTF_8));
    }

    private String reason(byte[] value) {
        ParsedRecord parsed = parse(value);
        assertThat(parsed).isInstanceOf(ParsedRecord.Unusable.class);
        return ((ParsedRecord.Unusable) parsed).reason();
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(middle);
        bytes.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }
}
