package io.berth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Expected strings are what CPython 3 prints for the same document. */
class PythonJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void keepsKeyOrderAndWritesCompactly() throws Exception {
        assertEquals("{\"z\":1,\"a\":[true,false,null],\"m\":{}}",
                PythonJson.write(parse("{ \"z\" : 1, \"a\" : [ true, false, null ], \"m\": { } }"), true));
    }

    @Test
    void escapesNonAsciiAsUtf16UnitsWhenEnsureAscii() throws Exception {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("a", "é😀\u0001\u007f\n\"\\/");
        assertEquals("{\"a\":\"\\u00e9\\ud83d\\ude00\\u0001\\u007f\\n\\\"\\\\/\"}", PythonJson.write(node, true));
    }

    @Test
    void writesNonAsciiAsItselfWithoutEnsureAscii() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("a", "é😀\u0001\u007f\b\f\r\t");
        assertEquals("{\"a\":\"é😀\\u0001\u007f\\b\\f\\r\\t\"}", PythonJson.write(node, false));
    }

    @Test
    void escapesControlCharactersWithLowercaseHex() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("k\u001f", "\u0000\u001b");
        assertEquals("{\"k\\u001f\":\"\\u0000\\u001b\"}", PythonJson.write(node, false));
    }

    @Test
    void writesFloatsAsPythonRepr() throws Exception {
        assertEquals("[1.0,0.1,1e-07,1e+16,1.5e+16,-0.0,1000000000000000.0,0.0001,1e-05,2.5,1e+22,5e-324,"
                + "1.7976931348623157e+308,0.30000000000000004,100.0,2.82879384806159e+17,1e+23,1.5e-323]",
                PythonJson.write(parse("[1.0,0.1,1e-7,1e16,1.5e16,-0.0,1e15,0.0001,0.00001,2.5,1e22,4.9e-324,"
                        + "1.7976931348623157e308,0.30000000000000004,1E2,2.82879384806159e17,1e23,1.5e-323]"), true));
    }

    @Test
    void writesIntegersInFull() throws Exception {
        assertEquals("[0,-7,9007199254740993,123456789012345678901234567890]",
                PythonJson.write(parse("[0,-7,9007199254740993,123456789012345678901234567890]"), true));
        assertEquals("12345678901234567890123",
                PythonJson.write(JsonNodeFactory.instance.numberNode(new BigInteger("12345678901234567890123")), true));
    }
}
