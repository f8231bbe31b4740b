package io.berth.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;

/**
 * Decrypts the secret inputs a mapping lists in {@code fieldsToDecryptPaths}, in place.
 *
 * <pre>
 *   value = base64( iv[16] ‖ ciphertext ‖ tag[16] )    AES-256-GCM, 128-bit tag
 *   key   = first 32 bytes of the client secret (UTF-8)
 * </pre>
 *
 * Paths are dots between object keys and array indexes ({@code payload.properties.keys.0}). A path
 * that leads nowhere is skipped (the input was optional). Unlike port-agent, which logs and sends the
 * ciphertext on, a value that cannot be decrypted fails: a webhook called with a ciphertext in place
 * of a password fails later and less clearly.
 */
final class InputDecryptor {

    private static final Logger LOG = Logger.getLogger(InputDecryptor.class);
    private static final int IV_BYTES = 16;
    private static final int TAG_BYTES = 16;
    private static final int KEY_BYTES = 32;

    private final SecretKeySpec key;

    InputDecryptor(Secret clientSecret) {
        Objects.requireNonNull(clientSecret, "clientSecret");
        byte[] secret = clientSecret.reveal().getBytes(StandardCharsets.UTF_8);
        if (secret.length < KEY_BYTES) {
            throw new IllegalArgumentException("the client secret must be at least " + KEY_BYTES
                    + " bytes to decrypt inputs, it is " + secret.length);
        }
        this.key = new SecretKeySpec(Arrays.copyOf(secret, KEY_BYTES), "AES");
    }

    /** Cannot decrypt the value at {@link #getMessage() path}; the message names the path only. */
    static final class DecryptionException extends Exception {

        private static final long serialVersionUID = 1L;

        DecryptionException(String message) {
            super(message);
        }
    }

    /** Replaces the value at each path of {@code message} by its decryption. */
    void decrypt(JsonNode message, List<String> paths) throws DecryptionException {
        Objects.requireNonNull(message, "message");
        for (String path : paths) {
            decryptAt(message, path);
        }
    }

    private void decryptAt(JsonNode message, String path) throws DecryptionException {
        String[] segments = path.split("\\.", -1);
        JsonNode parent = message;
        for (int i = 0; i < segments.length - 1 && parent != null; i++) {
            parent = child(parent, segments[i]);
        }
        String last = segments[segments.length - 1];
        JsonNode value = parent == null ? null : child(parent, last);
        if (value == null || value.isNull()) {
            LOG.debugf("Nothing to decrypt at %s", path);
            return;
        }
        if (!value.isTextual()) {
            throw new DecryptionException("Cannot decrypt " + path + ": not an encrypted string");
        }
        String plain = decrypt(value.textValue(), path);
        if (parent instanceof ObjectNode object) {
            object.put(last, plain);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), plain);
        }
    }

    private static JsonNode child(JsonNode node, String segment) {
        if (node.isObject()) {
            return node.get(segment);
        }
        if (node.isArray()) {
            try {
                return node.get(Integer.parseInt(segment));
            } catch (NumberFormatException notAnIndex) {
                return null;
            }
        }
        return null;
    }

    private String decrypt(String encrypted, String path) throws DecryptionException {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(encrypted.trim());
        } catch (IllegalArgumentException e) {
            throw new DecryptionException("Cannot decrypt " + path + ": not base64");
        }
        if (data.length < IV_BYTES + TAG_BYTES) {
            throw new DecryptionException("Cannot decrypt " + path + ": too short to be encrypted");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            // The JCE expects the tag after the ciphertext, exactly Port's layout after the IV.
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, data, 0, IV_BYTES));
            byte[] plain = cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Never the cause's message, nor the value: only which input failed.
            throw new DecryptionException("Cannot decrypt " + path
                    + ": wrong client secret or altered value");
        }
    }
}
