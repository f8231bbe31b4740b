package io.berth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;

class InputDecryptorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "0123456789abcdef0123456789abcdefEXTRA-BYTES-NOT-IN-THE-KEY";

    /** Port's layout, written independently of InputDecryptor: base64(iv ‖ ciphertext ‖ tag). */
    static String encrypt(String plain, String secret) throws Exception {
        byte[] key = Arrays.copyOf(secret.getBytes(StandardCharsets.UTF_8), 32);
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8)); // ciphertext ‖ tag
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(16 + sealed.length).put(iv).put(sealed).array());
    }

    @Test
    void decryptsObjectAndArrayPathsInPlace() throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree("{\"payload\":{\"properties\":{\"db_password\":\""
                + encrypt("pä$$word", SECRET) + "\",\"keys\":[\"plain\",\"" + encrypt("k2", SECRET) + "\"]}}}");

        new InputDecryptor(Secret.of(SECRET)).decrypt(message,
                List.of("payload.properties.db_password", "payload.properties.keys.1"));

        JsonNode properties = message.at("/payload/properties");
        assertEquals("pä$$word", properties.get("db_password").textValue());
        assertEquals("k2", properties.get("keys").get(1).textValue());
        assertEquals("plain", properties.get("keys").get(0).textValue());
    }

    @Test
    void skipsAMissingPath() throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree("{\"payload\":{\"properties\":{}}}");

        new InputDecryptor(Secret.of(SECRET)).decrypt(message,
                List.of("payload.properties.absent", "payload.nothing.here", "payload.properties.x.0"));

        assertEquals("{\"payload\":{\"properties\":{}}}", message.toString());
    }

    @Test
    void failsWithTheWrongKeyNamingOnlyThePath() throws Exception {
        String plain = "hunter2-very-secret";
        ObjectNode message = (ObjectNode) JSON.readTree("{\"payload\":{\"properties\":{\"db_password\":\""
                + encrypt(plain, "ffffffffffffffffffffffffffffffff") + "\"}}}");

        InputDecryptor.DecryptionException e = assertThrows(InputDecryptor.DecryptionException.class,
                () -> new InputDecryptor(Secret.of(SECRET)).decrypt(message, List.of("payload.properties.db_password")));

        assertTrue(e.getMessage().contains("payload.properties.db_password"), e.getMessage());
        assertFalse(e.getMessage().contains(plain));
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void failsOnAValueThatIsNotEncrypted() throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree("{\"p\":\"not base64 at all!\",\"n\":3}");
        InputDecryptor decryptor = new InputDecryptor(Secret.of(SECRET));

        assertThrows(InputDecryptor.DecryptionException.class, () -> decryptor.decrypt(message, List.of("p")));
        assertThrows(InputDecryptor.DecryptionException.class, () -> decryptor.decrypt(message, List.of("n")));
    }

    @Test
    void refusesASecretShorterThanTheKey() {
        assertThrows(IllegalArgumentException.class, () -> new InputDecryptor(Secret.of("short")));
    }
}
