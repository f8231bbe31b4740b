package io.berth.runs.impl;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.JsonRecords;
import io.berth.delivery.UnusableRecord;
import io.berth.runs.PortRun;
import io.berth.runs.RunReports;
import io.berth.webhook.PortSignature;

/**
 * Turns a record's bytes into a {@link PortRun}, or says why it cannot.
 *
 * <p>Port documents the v1 message; a v2 action's record is whatever its payload template made it.
 * So the parser requires only what every executor needs, a run id and an action identifier, and
 * looks for each where Port's shapes put it:
 *
 * <ul>
 *   <li>run id: {@code context.runId}, then {@code run.id}, then {@code runId}; then, for a
 *       workflow node run, {@code context.nodeRunIdentifier} or a {@code wfnr_} {@code identifier}
 *       (the node run object port-agent's polling claims);
 *   <li>action: {@code payload.action.identifier}, then {@code action.identifier}, then a string
 *       {@code action} (the v1 envelope), then {@code context.action}; a workflow node run names
 *       no action, so for one the node's {@code node.identifier} or {@code context.nodeIdentifier}
 *       stands in, else {@link #WORKFLOW_NODE_ACTION};
 *   <li>a node run object's {@code config} (its invocation method) is copied to
 *       {@code payload.action.invocationMethod} when that is absent, as port-agent does, so the
 *       mapping file and the signature policy find it where they look for a run's;
 *   <li>signature: verified when the message carries {@code headers.X-Port-Signature}; required
 *       as {@link SignaturePolicy} says. A run claimed from Port's API ({@link Origin#PORT_API})
 *       is authenticated by its source instead: it counts as signed at the record's time, and
 *       any signature keys are removed unchecked (port-agent skips their validation too).
 * </ul>
 *
 * It is strict about the bytes ({@link JsonRecords}), because whatever it lets through reaches
 * handlers, Port and logs, and about the run id, which must be one safe URL path segment. Every
 * refusal says why without quoting the record.
 */
final class RunMessageParser {

    // Compiled once: JsonNode.at(String) compiles its pointer at every call.
    private static final JsonPointer AT_ACTION_IDENTIFIER = JsonPointer.compile("/action/identifier");
    private static final JsonPointer AT_CONTEXT_ACTION = JsonPointer.compile("/context/action");
    private static final JsonPointer AT_CONTEXT_BLUEPRINT = JsonPointer.compile("/context/blueprint");
    private static final JsonPointer AT_CONTEXT_ENTITY = JsonPointer.compile("/context/entity");
    private static final JsonPointer AT_CONTEXT_NODEIDENTIFIER = JsonPointer.compile("/context/nodeIdentifier");
    private static final JsonPointer AT_CONTEXT_NODERUNIDENTIFIER = JsonPointer.compile("/context/nodeRunIdentifier");
    private static final JsonPointer AT_CONTEXT_RUNID = JsonPointer.compile("/context/runId");
    private static final JsonPointer AT_NODE_IDENTIFIER = JsonPointer.compile("/node/identifier");
    private static final JsonPointer AT_PAYLOAD_ACTION = JsonPointer.compile("/payload/action");
    private static final JsonPointer AT_PAYLOAD_ACTION_BLUEPRINT = JsonPointer.compile("/payload/action/blueprint");
    private static final JsonPointer AT_PAYLOAD_ACTION_IDENTIFIER = JsonPointer.compile("/payload/action/identifier");
    private static final JsonPointer AT_PAYLOAD_ACTION_INVOCATIONMETHOD = JsonPointer.compile("/payload/action/invocationMethod");
    private static final JsonPointer AT_PAYLOAD_ENTITY = JsonPointer.compile("/payload/entity");
    private static final JsonPointer AT_PAYLOAD_PROPERTIES = JsonPointer.compile("/payload/properties");
    private static final JsonPointer AT_RUN_ID = JsonPointer.compile("/run/id");
    private static final JsonPointer AT_TRIGGER_BY_USER_EMAIL = JsonPointer.compile("/trigger/by/user/email");

    static final int MAX_RUN_ID_LENGTH = 256;

    /** The action of a workflow node run that names none: what a Java handler declares to take them. */
    static final String WORKFLOW_NODE_ACTION = "workflow_node";

    private static final Pattern USABLE_RUN_ID = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_RUN_ID_LENGTH + "}");

    private final ObjectMapper mapper;
    private final Secret clientSecret;
    private final int maxRecordBytes;
    private final SignaturePolicy signatures;
    private final Origin origin;

    /** Where records come from, which decides what authenticates them. */
    enum Origin {
        /** A Kafka topic anyone with write access can write to: Port's signature authenticates a run. */
        TOPIC,
        /** Port's API, claimed over TLS with Berth's own token: the source authenticates every run. */
        PORT_API
    }

    RunMessageParser(ObjectMapper mapper, Secret clientSecret, int maxRecordBytes, SignaturePolicy signatures) {
        this(mapper, clientSecret, maxRecordBytes, signatures, Origin.TOPIC);
    }

    RunMessageParser(ObjectMapper mapper, Secret clientSecret, int maxRecordBytes, SignaturePolicy signatures,
            Origin origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    ParsedRecord parse(InboundRecord record) {
        ObjectNode message;
        try {
            message = JsonRecords.object(mapper, record.value(), maxRecordBytes, "run message");
        } catch (UnusableRecord unusable) {
            return new ParsedRecord.Unusable(unusable.reason());
        }
        Optional<Instant> stamp = origin == Origin.PORT_API ? record.timestamp()
                : PortSignature.timestamp(message); // before verify() removes it
        PortSignature.Verdict verdict = PortSignature.verify(message, clientSecret); // removes the signature keys
        if (origin == Origin.PORT_API) {
            verdict = PortSignature.Verdict.VALID;
        }
        if (verdict == PortSignature.Verdict.INVALID) {
            return new ParsedRecord.Unusable("X-Port-Signature does not match the message: not sent by Port, "
                    + "altered on the way, or signed with another client secret");
        }
        // A valid signature over a timestamp that is not a time: of unknown age, so treated as old.
        Instant signedAt = verdict == PortSignature.Verdict.VALID ? stamp.orElse(Instant.EPOCH) : null;
        String runId = firstText(message.at(AT_CONTEXT_RUNID), message.at(AT_RUN_ID), message.path("runId"),
                message.at(AT_CONTEXT_NODERUNIDENTIFIER), nodeRunIdentifier(message.path("identifier")));
        if (runId == null) {
            return new ParsedRecord.Unusable("no run id (looked for context.runId, run.id, runId, "
                    + "context.nodeRunIdentifier, a wfnr_ identifier)");
        }
        if (!isUsableRunId(runId)) {
            return new ParsedRecord.Unusable("unusable run id of " + runId.length() + " characters: Berth sends it "
                    + "to Port as one URL path segment, so it must be 1 to " + MAX_RUN_ID_LENGTH
                    + " letters, digits, '-', '_', '.' or '~', and not '.' or '..'");
        }
        String action = firstText(message.at(AT_PAYLOAD_ACTION_IDENTIFIER), message.at(AT_ACTION_IDENTIFIER),
                message.path("action"), message.at(AT_CONTEXT_ACTION));
        if (action == null && RunReports.isWorkflowNodeRun(runId)) {
            action = Objects.requireNonNullElse(firstText(message.at(AT_NODE_IDENTIFIER),
                    message.at(AT_CONTEXT_NODEIDENTIFIER)), WORKFLOW_NODE_ACTION);
            adoptNodeConfig(message);
        }
        if (action == null) {
            return new ParsedRecord.Unusable("run " + runId
                    + " has no action identifier (looked for payload.action.identifier, action.identifier, action)");
        }
        String unsigned = signatures.refusal(verdict, SignaturePolicy.invocationOf(message));
        if (unsigned != null) {
            return new ParsedRecord.Unusable(unsigned);
        }
        JsonNode properties = message.at(AT_PAYLOAD_PROPERTIES);
        ObjectNode inputs = properties.isObject() ? (ObjectNode) properties : JsonNodeFactory.instance.objectNode();
        String inputProblem = properties.isMissingNode() || properties.isNull() || properties.isObject() ? null
                : "payload.properties must be an object of inputs, found " + properties.getNodeType().name().toLowerCase();
        JsonNode entity = message.at(AT_PAYLOAD_ENTITY);
        String blueprint = firstText(message.at(AT_CONTEXT_BLUEPRINT), message.at(AT_PAYLOAD_ACTION_BLUEPRINT));
        String entityId = firstText(message.at(AT_CONTEXT_ENTITY), entity.path("identifier"));
        String triggeredBy = firstText(message.at(AT_TRIGGER_BY_USER_EMAIL));
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

    private static JsonNode nodeRunIdentifier(JsonNode identifier) {
        return identifier.isTextual() && RunReports.isWorkflowNodeRun(identifier.textValue()) ? identifier : null;
    }

    /** A node run object carries its invocation method as {@code config}; runs carry it in the payload. */
    private static void adoptNodeConfig(ObjectNode message) {
        JsonNode config = message.path("config");
        if (config.isObject() && message.at(AT_PAYLOAD_ACTION_INVOCATIONMETHOD).isMissingNode()
                && (message.path("payload").isMissingNode() || message.path("payload").isObject())
                && (message.at(AT_PAYLOAD_ACTION).isMissingNode() || message.at(AT_PAYLOAD_ACTION).isObject())) {
            message.with("payload").with("action").set("invocationMethod", config.deepCopy());
        }
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
