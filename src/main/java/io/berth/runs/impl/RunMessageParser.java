package io.berth.runs.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.berth.delivery.InboundRecord;
import io.berth.runs.PortRun;
import io.berth.webhook.PortSignature;

/**
 * Turns a record's bytes into a {@link PortRun}, or says why it cannot.
 *
 * <p>Port documents the v1 message; a v2 action's record is whatever its payload template made it.
 * So the parser requires only what every executor needs, a run id and an action identifier, and
 * looks for each where Port's shapes put it:
 *
 * <ul>
 *   <li>run id: {@code context.runId}, then {@code run.id}, then {@code runId};
 *   <li>action: {@code payload.action.identifier}, then {@code action.identifier}, then a string
 *       {@code action} (the v1 envelope), then {@code context.action};
 *   <li>signature: verified when the message carries {@code headers.X-Port-Signature}; required
 *       as {@link SignaturePolicy} says.
 * </ul>
 *
 * It is strict about the bytes, because whatever it lets through reaches handlers, Port and logs:
 * well-formed UTF-8 only, exactly one JSON value, within Jackson's limits (nesting, number and name
 * lengths), and a run id that is one safe URL path segment. Every refusal says why without quoting
 * the record.
 */
final class RunMessageParser {

    static final int MAX_RUN_ID_LENGTH = 256;
    private static final Pattern USABLE_RUN_ID = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_RUN_ID_LENGTH + "}");

    private final ObjectMapper mapper;
    private final Secret clientSecret;
    private final int maxRecordBytes;
    private final SignaturePolicy signatures;

    RunMessageParser(ObjectMapper mapper, Secret clientSecret, int maxRecordBytes, SignaturePolicy signatures) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    ParsedRecord parse(InboundRecord record) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            return new ParsedRecord.Unusable("empty record: no run message");
        }
        if (value.length > maxRecordBytes) {
            return new ParsedRecord.Unusable("record of " + value.length + " bytes exceeds the limit of "
                    + maxRecordBytes + " bytes");
        }
        int malformedByte = firstMalformedUtf8Byte(value);
        if (malformedByte >= 0) {
            return new ParsedRecord.Unusable("not UTF-8: malformed byte sequence at byte " + malformedByte);
        }
        JsonNode root;
        try (JsonParser json = mapper.createParser(value)) {
            root = mapper.readTree(json);
            JsonLocation end = json.currentLocation();
            if (root != null && !atEnd(json)) {
                return new ParsedRecord.Unusable("text after the JSON value" + at(end)
                        + ": a record holds exactly one run message");
            }
        } catch (JsonProcessingException unparseable) {
            // The parser's messages may quote the input, which may hold secrets: only the location is kept,
            // and a limit's message, which holds only numbers.
            StreamConstraintsException limit = limitIn(unparseable);
            return new ParsedRecord.Unusable(limit != null
                    ? "JSON beyond the parser's limits" + at(unparseable.getLocation()) + ": " + limit.getOriginalMessage()
                    : "malformed JSON" + at(unparseable.getLocation()));
        } catch (IOException unreadable) {
            return new ParsedRecord.Unusable("unreadable record: " + unreadable.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            return new ParsedRecord.Unusable("a run message must be a JSON object, found "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase()));
        }
        ObjectNode message = (ObjectNode) root;
        Optional<Instant> stamp = PortSignature.timestamp(message); // before verify() removes it
        PortSignature.Verdict verdict = PortSignature.verify(message, clientSecret);
        if (verdict == PortSignature.Verdict.INVALID) {
            return new ParsedRecord.Unusable("X-Port-Signature does not match the message: not sent by Port, "
                    + "altered on the way, or signed with another client secret");
        }
        // A valid signature over a timestamp that is not a time: of unknown age, so treated as old.
        Instant signedAt = verdict == PortSignature.Verdict.VALID ? stamp.orElse(Instant.EPOCH) : null;
        String runId = firstText(message.at("/context/runId"), message.at("/run/id"), message.path("runId"));
        if (runId == null) {
            return new ParsedRecord.Unusable("no run id (looked for context.runId, run.id, runId)");
        }
        if (!isUsableRunId(runId)) {
            return new ParsedRecord.Unusable("unusable run id of " + runId.length() + " characters: Berth sends it "
                    + "to Port as one URL path segment, so it must be 1 to " + MAX_RUN_ID_LENGTH
                    + " letters, digits, '-', '_', '.' or '~', and not '.' or '..'");
        }
        String action = firstText(message.at("/payload/action/identifier"), message.at("/action/identifier"),
                message.path("action"), message.at("/context/action"));
        if (action == null) {
            return new ParsedRecord.Unusable("run " + runId
                    + " has no action identifier (looked for payload.action.identifier, action.identifier, action)");
        }
        String unsigned = signatures.refusal(verdict, SignaturePolicy.invocationOf(message));
        if (unsigned != null) {
            return new ParsedRecord.Unusable(unsigned);
        }
        JsonNode properties = message.at("/payload/properties");
        ObjectNode inputs = properties.isObject() ? (ObjectNode) properties : JsonNodeFactory.instance.objectNode();
        String inputProblem = properties.isMissingNode() || properties.isNull() || properties.isObject() ? null
                : "payload.properties must be an object of inputs, found " + properties.getNodeType().name().toLowerCase();
        JsonNode entity = message.at("/payload/entity");
        String blueprint = firstText(message.at("/context/blueprint"), message.at("/payload/action/blueprint"));
        String entityId = firstText(message.at("/context/entity"), entity.path("identifier"));
        String triggeredBy = firstText(message.at("/trigger/by/user/email"));
        String orderingKey = entityId == null ? "run:" + runId : "entity:" + blueprint + "/" + entityId;
        return new ParsedRecord.Run(new PortRun(runId, action, message, inputs,
                entity.isObject() ? entity : null, blueprint, triggeredBy, orderingKey), inputProblem, signedAt);
    }

    /**
     * Port's run ids are {@code r_...} and {@code wfnr_...} (letters, digits, underscore). A v2 template
     * may put anything there, and the id goes into Port's URL paths: only URL-unreserved characters
     * (RFC 3986 §2.3) stay one segment without encoding, and {@code .} and {@code ..} would be read as
     * the current and the parent path (§5.2.4), sending the report to another resource.
     */
    static boolean isUsableRunId(String runId) {
        return USABLE_RUN_ID.matcher(runId).matches() && !runId.equals(".") && !runId.equals("..");
    }

    /**
     * The index of the first byte that is not well-formed UTF-8 (RFC 3629: overlong forms, encoded
     * surrogates and code points past U+10FFFF included), or -1. Jackson's own decoder lets overlong
     * forms through, so the bytes are checked before it reads them.
     */
    static int firstMalformedUtf8Byte(byte[] value) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    /** Whether nothing but whitespace follows the value just read. */
    private static boolean atEnd(JsonParser json) {
        try {
            return json.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static StreamConstraintsException limitIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
    }

    private static String firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate != null && candidate.isTextual() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        return null;
    }
}
