package io.berth.runs.impl;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
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
 */
final class RunMessageParser {

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
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (JsonProcessingException malformed) {
            // The location is useful and safe; the parser's message may quote the input, which may hold secrets.
            return new ParsedRecord.Unusable("malformed JSON at line " + malformed.getLocation().getLineNr()
                    + ", column " + malformed.getLocation().getColumnNr());
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

    private static String firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate != null && candidate.isTextual() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        return null;
    }
}
