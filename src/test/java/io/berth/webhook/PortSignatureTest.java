package io.berth.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;

class PortSignatureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Secret SECRET = Secret.of("s3cr3t-client-secret-of-port-org-0123456789");

    /** Computed independently of PortSignature and PythonJson. */
    private static String hmac(String secret, String toSign) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }

    private static ObjectNode message(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void acceptsPortsSignatureOverNonAsciiWrittenAsItself() throws Exception {
        // What Port signs: the message without the two keys, compact, "é" and "😀" as themselves.
        String signed = "{\"context\":{\"runId\":\"r_1\"},\"payload\":{\"properties\":{\"name\":\"Zoë 😀\",\"n\":1.0}},"
                + "\"headers\":{\"X-Other\":\"x\"}}";
        String signature = hmac(SECRET.reveal(), "1795432443." + signed);
        ObjectNode message = message("{\"context\": {\"runId\": \"r_1\"}, \"payload\": {\"properties\": "
                + "{\"name\": \"Zoë 😀\", \"n\": 1.0}}, \"headers\": {\"X-Port-Signature\": \"" + signature
                + "\", \"X-Other\": \"x\", \"X-Port-Timestamp\": 1795432443}}");

        assertEquals(PortSignature.Verdict.VALID, PortSignature.verify(message, SECRET));
        assertEquals("{\"X-Other\":\"x\"}", message.get("headers").toString());
    }

    @Test
    void acceptsATimestampGivenAsAString() throws Exception {
        String signature = hmac(SECRET.reveal(), "1795432443.{\"a\":\"é\",\"headers\":{}}");
        ObjectNode message = message("{\"a\":\"é\",\"headers\":{\"X-Port-Timestamp\":\"1795432443\","
                + "\"X-Port-Signature\":\"" + signature + "\"}}");

        assertEquals(PortSignature.Verdict.VALID, PortSignature.verify(message, SECRET));
    }

    @Test
    void rejectsAnAlteredMessageAndStillRemovesTheKeys() throws Exception {
        String signature = hmac(SECRET.reveal(), "1795432443.{\"a\":\"é\",\"headers\":{}}");
        ObjectNode message = message("{\"a\":\"e\",\"headers\":{\"X-Port-Timestamp\":1795432443,"
                + "\"X-Port-Signature\":\"" + signature + "\"}}");

        assertEquals(PortSignature.Verdict.INVALID, PortSignature.verify(message, SECRET));
        assertEquals("{}", message.get("headers").toString());
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() throws Exception {
        String signature = hmac("another-secret", "1795432443.{\"a\":\"é\",\"headers\":{}}");
        ObjectNode message = message("{\"a\":\"é\",\"headers\":{\"X-Port-Timestamp\":1795432443,"
                + "\"X-Port-Signature\":\"" + signature + "\"}}");

        assertEquals(PortSignature.Verdict.INVALID, PortSignature.verify(message, SECRET));
    }

    @Test
    void rejectsASignatureOverEscapedNonAscii() throws Exception {
        // Signed as Python's default (ensure_ascii=True) would write it: not what Port signs.
        String signature = hmac(SECRET.reveal(), "1795432443.{\"a\":\"\\u00e9\",\"headers\":{}}");
        ObjectNode message = message("{\"a\":\"é\",\"headers\":{\"X-Port-Timestamp\":1795432443,"
                + "\"X-Port-Signature\":\"" + signature + "\"}}");

        assertEquals(PortSignature.Verdict.INVALID, PortSignature.verify(message, SECRET));
    }

    @Test
    void removesTheWholeHeadersObjectOfAGitLabInvocation() throws Exception {
        String signed = "{\"payload\":{\"action\":{\"invocationMethod\":{\"type\":\"GITLAB\"}}},\"x\":\"ü\"}";
        String signature = hmac(SECRET.reveal(), "17." + signed);
        ObjectNode message = message("{\"payload\":{\"action\":{\"invocationMethod\":{\"type\":\"GITLAB\"}}},"
                + "\"headers\":{\"X-Port-Signature\":\"" + signature + "\",\"X-Port-Timestamp\":17,\"Other\":1},"
                + "\"x\":\"ü\"}");

        assertEquals(PortSignature.Verdict.VALID, PortSignature.verify(message, SECRET));
        assertFalse(message.has("headers"));
    }

    @Test
    void saysUnsignedWhenThereAreNoSignatureHeaders() throws Exception {
        ObjectNode message = message("{\"a\":1,\"headers\":{\"Other\":1}}");

        assertEquals(PortSignature.Verdict.UNSIGNED, PortSignature.verify(message, SECRET));
        assertEquals(PortSignature.Verdict.UNSIGNED, PortSignature.verify(message("{\"a\":1}"), SECRET));
    }

    @Test
    void rejectsASignatureWithoutTimestamp() throws Exception {
        ObjectNode message = message("{\"headers\":{\"X-Port-Signature\":\"v1,abc\"}}");

        assertEquals(PortSignature.Verdict.INVALID, PortSignature.verify(message, SECRET));
        assertNull(message.get("headers").get("X-Port-Signature"));
    }

    @Test
    void signsTheExactAsciiBytesOfAnOutgoingBody() throws Exception {
        PortSignature.Signed signed = PortSignature.sign(JSON.readTree("{\"name\": \"Zoë\", \"n\": [1, 2.0]}"),
                SECRET, 1700000000L);

        String expectedBody = "{\"name\":\"Zo\\u00eb\",\"n\":[1,2.0]}";
        assertArrayEquals(expectedBody.getBytes(StandardCharsets.US_ASCII), signed.body());
        assertEquals("1700000000", signed.timestamp());
        assertEquals(hmac(SECRET.reveal(), "1700000000." + expectedBody), signed.signature());
        assertTrue(signed.signature().startsWith("v1,"));
    }
}
