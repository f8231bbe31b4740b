package io.berth.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link JsonRecords#isOneJsonValue} scans instead of parsing; it must say what Jackson's strict
 * parser says (one value, nothing after it, its default limits) of every input.
 */
class OneJsonValueTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reference: Jackson reads one value, skips its children, and finds nothing after it. */
    private static boolean jacksonSays(byte[] value) {
        if (value.length == 0 || JsonRecords.firstMalformedUtf8Byte(value) >= 0
                || value.length >= 3 && (value[0] & 0xff) == 0xef && (value[1] & 0xff) == 0xbb) {
            return false;
        }
        try (JsonParser json = JSON.createParser(value)) {
            if (json.nextToken() == null) {
                return false;
            }
            json.skipChildren();
            return json.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static boolean scanSays(String text) {
        return JsonRecords.isOneJsonValue(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<String> ONE_VALUE = List.of("{}", "[]", "0", "-0", "12", "-12.5e+3", "1E9", "0.25",
            "\"\"", "\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\ude00\"", "\"é 😀 \u007f\"", "true", "false", "null",
            " \t\r\n{\"a\" : [1, {\"b\": null}, \"x\"], \"c\": {}} \n", "[[[]]]", "[1,[2,[3]],{\"k\":[true,false]}]",
            "{\"\":\"\"}", "{\"seq\":7,\"pad\":\"xxxx\"}");

    private static final List<String> NOT_ONE_VALUE = List.of("", " ", "{", "}", "[", "]", "{]", "[}", "[1,]", "[,1]",
            "{\"a\":1,}", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "'a'", "01", "-", "+1", "1.", ".5", "1e", "1e+",
            "0x10", "NaN", "Infinity", "-Infinity", "tru", "truex", "nul", "True", "\"a", "\"\\x\"", "\"\\u12\"",
            "\"\\u12G4\"", "\"tab\there\"", "\"line\nbreak\"", "1 2", "{} {}", "[] x", "{\"a\":1}}", "[1]]", "// c\n1",
            "/* c */1", "[1 2]", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "\u000c1", "1\u000b", "\u00a01");

    @Test
    void oneValueOfAnyTypeWithWhitespaceAroundIsOne() {
        for (String text : ONE_VALUE) {
            assertThat(scanSays(text)).as(text).isTrue();
            assertThat(jacksonSays(text.getBytes(StandardCharsets.UTF_8))).as("Jackson: " + text).isTrue();
        }
    }

    @Test
    void anythingElseIsNot() {
        for (String text : NOT_ONE_VALUE) {
            assertThat(scanSays(text)).as(text).isFalse();
            assertThat(jacksonSays(text.getBytes(StandardCharsets.UTF_8))).as("Jackson: " + text).isFalse();
        }
        assertThat(JsonRecords.isOneJsonValue(null)).isFalse();
        assertThat(JsonRecords.isOneJsonValue(new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'})).as("overlong UTF-8")
                .isFalse();
        assertThat(scanSays("\uFEFF{}")).as("a byte order mark").isFalse();
    }

    @Test
    void nestingIsAllowedToJacksonsLimitAndNoDeeperWithoutRecursion() {
        int limit = StreamReadConstraints.defaults().getMaxNestingDepth();
        for (int depth : new int[] {limit - 1, limit, limit + 1, 100_000}) {
            String nested = "[".repeat(depth) + "]".repeat(depth);
            byte[] bytes = nested.getBytes(StandardCharsets.US_ASCII);
            assertThat(JsonRecords.isOneJsonValue(bytes)).as("depth " + depth).isEqualTo(depth <= limit)
                    .isEqualTo(jacksonSays(bytes));
        }
        String objects = "{\"a\":".repeat(limit) + "1" + "}".repeat(limit);
        assertThat(scanSays(objects)).isTrue();
        assertThat(scanSays("{\"a\":" + objects + "}")).isFalse();
    }

    @Test
    void numbersAndNamesBeyondJacksonsLimitsAreRefusedAsJacksonRefusesThem() {
        int digits = StreamReadConstraints.defaults().getMaxNumberLength();
        for (String text : List.of("1".repeat(digits), "1".repeat(digits + 1), "[" + "1".repeat(digits + 5) + "]",
                "0." + "5".repeat(digits + 5), "{\"" + "n".repeat(StreamReadConstraints.defaults().getMaxNameLength() + 1)
                        + "\":1}")) {
            assertThat(scanSays(text)).as(text.length() + " characters").isEqualTo(
                    jacksonSays(text.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /**
     * Every valid document above, mutated at random (a byte inserted, removed or replaced by one of
     * JSON's own): the scan and Jackson agree on each of 50,000 inputs, of which many stay one value and
     * many do not.
     */
    @Test
    void theScanAgreesWithJacksonOnRandomlyMutatedDocuments() {
        byte[] alphabet = "{}[]\",:\\ 01-.eE+tfnulrsa\n\u0001".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(20261202);
        int disagreements = 0;
        int ones = 0;
        StringBuilder examples = new StringBuilder();
        for (int n = 0; n < 50_000; n++) {
            byte[] input = ONE_VALUE.get(random.nextInt(ONE_VALUE.size())).getBytes(StandardCharsets.UTF_8);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                input = mutate(input, random, alphabet);
            }
            boolean scan = JsonRecords.isOneJsonValue(input);
            ones += scan ? 1 : 0;
            if (scan != jacksonSays(input)) {
                disagreements++;
                examples.append(new String(input, StandardCharsets.UTF_8)).append(" | ");
            }
        }
        assertThat(disagreements).as(examples.toString()).isZero();
        assertThat(ones).as("inputs that are still one value").isBetween(5_000, 45_000);
    }

    /**
     * Strings of random bytes, 0x80 and above among them: the scan checks their UTF-8 itself, and
     * refuses what the JDK's strict decoder refuses (overlong forms, surrogates, past U+10FFFF, cut
     * sequences), on each of 50,000.
     */
    @Test
    void theScanChecksUtf8WithinStringsAsTheStrictDecoderDoes() {
        Random random = new Random(42);
        int wellFormed = 0;
        for (int n = 0; n < 50_000; n++) {
            byte[] input = new byte[2 + 1 + random.nextInt(6)];
            input[0] = '"';
            input[input.length - 1] = '"';
            for (int i = 1; i < input.length - 1; i++) {
                input[i] = (byte) (random.nextInt(4) == 0 ? 'a' : 0x80 + random.nextInt(0x80));
            }
            boolean scan = JsonRecords.isOneJsonValue(input);
            wellFormed += scan ? 1 : 0;
            assertThat(scan).as(java.util.HexFormat.ofDelimiter(" ").formatHex(input)).isEqualTo(jacksonSays(input));
        }
        assertThat(wellFormed).as("strings still well-formed").isGreaterThan(500);
        for (String text : List.of("\"é\"", "\"日本\"", "\"😀\"", "\"\uFFFF\"", "\"\u10FFFF\"")) {
            assertThat(scanSays(text)).as(text).isTrue();
        }
    }

    private static byte[] mutate(byte[] input, Random random, byte[] alphabet) {
        int at = input.length == 0 ? 0 : random.nextInt(input.length + 1);
        byte with = alphabet[random.nextInt(alphabet.length)];
        int kind = input.length == 0 ? 0 : random.nextInt(3);
        byte[] out;
        if (kind == 0) { // insert
            out = new byte[input.length + 1];
            System.arraycopy(input, 0, out, 0, at);
            out[at] = with;
            System.arraycopy(input, at, out, at + 1, input.length - at);
        } else if (kind == 1) { // remove
            at = Math.min(at, input.length - 1);
            out = new byte[input.length - 1];
            System.arraycopy(input, 0, out, 0, at);
            System.arraycopy(input, at + 1, out, at, input.length - at - 1);
        } else { // replace
            at = Math.min(at, input.length - 1);
            out = input.clone();
            out[at] = with;
        }
        return out;
    }
}
