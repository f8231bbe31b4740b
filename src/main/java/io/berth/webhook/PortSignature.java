package io.berth.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;

/**
 * Port's message signatures, both ways:
 *
 * <pre>
 *   X-Port-Signature = "v1," + base64(HMAC-SHA256(clientSecret, timestamp + "." + json))
 * </pre>
 *
 * <ul>
 *   <li>incoming ({@link #verify}): {@code json} is the run message without the two signature
 *       keys of its {@code headers} (without {@code headers} at all for a GitLab invocation),
 *       written compactly with non-ASCII characters as themselves, as Port's Python writes it;
 *   <li>outgoing ({@link #sign}): {@code json} is the body port-agent sends, written compactly
 *       with non-ASCII characters escaped (Python's default). The bytes sent must be exactly
 *       {@link Signed#body()}: receivers verify those.
 * </ul>
 */
public final class PortSignature {

    // Compiled once: JsonNode.at(String) compiles its pointer at every call.
    private static final JsonPointer AT_PAYLOAD_ACTION_INVOCATIONMETHOD_TYPE = JsonPointer.compile("/payload/action/invocationMethod/type");

    public static final String SIGNATURE_HEADER = "X-Port-Signature";
    public static final String TIMESTAMP_HEADER = "X-Port-Timestamp";

    /** What {@link #verify} found. */
    public enum Verdict {
        /** Signed with the client secret, unaltered. */
        VALID,
        /** Signed, but not by this client secret, or altered since: do not run it. */
        INVALID,
        /** No signature headers at all (a v2 Kafka action, a change-log message). */
        UNSIGNED
    }

    /** An outgoing body and the headers that sign it. */
    public record Signed(byte[] body, String timestamp, String signature) {
        public Signed {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(signature, "signature");
        }
    }

    /** A timestamp this large is in milliseconds: as seconds it would be past the year 5000. */
    private static final long MILLISECONDS_FROM = 100_000_000_000L;

    private PortSignature() {
    }

    /**
     * Verifies an incoming run and, whatever the verdict, removes the signature keys from
     * {@code message} (all of {@code headers} for a GitLab invocation), so that nothing downstream,
     * a default webhook body for one, carries them.
     */
    public static Verdict verify(ObjectNode message, Secret clientSecret) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(clientSecret, "clientSecret");
        JsonNode headersNode = message.get("headers");
        JsonNode signature = null;
        JsonNode timestamp = null;
        if (headersNode instanceof ObjectNode headers) {
            signature = headers.remove(SIGNATURE_HEADER);
            timestamp = headers.remove(TIMESTAMP_HEADER);
        }
        if (gitLab(message)) {
            message.remove("headers");
        }
        if (signature == null && timestamp == null) {
            return Verdict.UNSIGNED;
        }
        if (signature == null || !signature.isTextual() || timestamp == null
                || !(timestamp.isTextual() || timestamp.isNumber())) {
            return Verdict.INVALID;
        }
        // A numeric timestamp is formatted as Python's f"{timestamp}" formats the parsed number.
        String stamp = timestamp.isTextual() ? timestamp.textValue() : PythonJson.number(timestamp);
        String expected = signature(clientSecret, stamp, PythonJson.write(message, false));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signature.textValue().getBytes(StandardCharsets.UTF_8)) ? Verdict.VALID : Verdict.INVALID;
    }

    /**
     * When the message says Port signed it: its {@code headers.X-Port-Timestamp} (epoch seconds, as
     * a number or digits; milliseconds are recognised by their size). Empty when absent or not a
     * time. Read it before {@link #verify}, which removes the header; it is trustworthy only when
     * the signature is valid (the timestamp is part of what is signed).
     */
    public static Optional<Instant> timestamp(JsonNode message) {
        JsonNode stamp = message.path("headers").path(TIMESTAMP_HEADER);
        long value;
        if (stamp.isIntegralNumber() && stamp.canConvertToLong()) {
            value = stamp.longValue();
        } else if (stamp.isTextual() && stamp.textValue().matches("\\d{1,18}")) {
            value = Long.parseLong(stamp.textValue());
        } else {
            return Optional.empty();
        }
        return Optional.of(value >= MILLISECONDS_FROM ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value));
    }

    /** Signs an outgoing body at {@code epochSeconds}, as port-agent's {@code _request} does. */
    public static Signed sign(JsonNode body, Secret clientSecret, long epochSeconds) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(clientSecret, "clientSecret");
        String json = PythonJson.write(body, true);
        String timestamp = Long.toString(epochSeconds);
        return new Signed(json.getBytes(StandardCharsets.US_ASCII), timestamp,
                signature(clientSecret, timestamp, json));
    }

    /**
     * Signs a run message as Port does, the counterpart of {@link #verify}: puts
     * {@code X-Port-Signature} and {@code X-Port-Timestamp} into its {@code headers} object (added
     * last if absent). For tools that publish runs the way Port would, such as the console.
     */
    public static void signAsPort(ObjectNode message, Secret clientSecret, long epochSeconds) {
        Objects.requireNonNull(message, "message");
        ObjectNode headers = message.get("headers") instanceof ObjectNode existing ? existing : message.putObject("headers");
        headers.remove(SIGNATURE_HEADER);
        headers.remove(TIMESTAMP_HEADER);
        String timestamp = Long.toString(epochSeconds);
        ObjectNode signed = message;
        if (gitLab(message)) { // Port signs a GitLab invocation without its headers, as verify() checks it
            signed = message.deepCopy();
            signed.remove("headers");
        }
        String signature = signature(clientSecret, timestamp, PythonJson.write(signed, false));
        headers.put(SIGNATURE_HEADER, signature).put(TIMESTAMP_HEADER, epochSeconds);
    }

    private static boolean gitLab(JsonNode message) {
        return "GITLAB".equals(message.at(AT_PAYLOAD_ACTION_INVOCATIONMETHOD_TYPE).textValue());
    }

    /** {@code "v1," + base64(HMAC-SHA256(secret, timestamp + "." + json))}, all in UTF-8. */
    static String signature(Secret clientSecret, String timestamp, String json) {
        byte[] digest = HmacKeys.macFor(clientSecret).doFinal((timestamp + "." + json).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }

    /**
     * A ready HMAC-SHA256 per call, cloned from one keyed with the last secret used: every run is
     * verified and every webhook request signed, and a provider look-up and key set-up per call cost
     * more than the digest of a small message.
     */
    private static final class HmacKeys {

        private static volatile Keyed last;

        private record Keyed(String secret, Mac prototype) {
        }

        static Mac macFor(Secret clientSecret) {
            String secret = clientSecret.reveal();
            Keyed keyed = last;
            if (keyed == null || !keyed.secret().equals(secret)) {
                keyed = new Keyed(secret, keyed(secret));
                last = keyed;
            }
            try {
                return (Mac) keyed.prototype().clone();
            } catch (CloneNotSupportedException notCloneable) {
                return keyed(secret);
            }
        }

        private static Mac keyed(String secret) {
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            if (key.length == 0) {
                throw new IllegalArgumentException("the client secret is empty");
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                // Every Java runtime has HmacSHA256, and any non-empty key is valid for it.
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }
    }
}
