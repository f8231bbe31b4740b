package io.berth.runs.impl;

import java.util.Objects;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import io.berth.config.SignatureRequirement;
import io.berth.webhook.PortSignature;

/**
 * Whether an unsigned run may be handled ({@code BERTH_RUNS_REQUIRE_SIGNATURE}): Port signs every run
 * it routes to an agent webhook or GitLab and none of a Kafka backend, so an unsigned run that says
 * it is an agent's, or cannot say what it is, was written by someone else.
 *
 * <p>A record states its invocation method in {@code payload.action.invocationMethod.type} (v1) or a
 * top-level {@code invocationMethod.type}; when the two disagree the stricter one counts, so that a
 * record cannot pass as Kafka's by adding a second, looser field.
 */
final class SignaturePolicy {

    // Compiled once: JsonNode.at(String) compiles its pointer at every call.
    private static final JsonPointer AT_INVOCATIONMETHOD_TYPE = JsonPointer.compile("/invocationMethod/type");
    private static final JsonPointer AT_PAYLOAD_ACTION_INVOCATIONMETHOD_TYPE = JsonPointer.compile("/payload/action/invocationMethod/type");

    /** What a record says about how Port invoked it. */
    enum Invocation {
        /** {@code WEBHOOK} (agent) or {@code GITLAB}: Port signs these. */
        AGENT_WEBHOOK,
        /** {@code KAFKA}: Port does not sign these. */
        KAFKA,
        /** No recognisable invocation method (a v2 payload template that leaves it out). */
        UNKNOWN
    }

    private final SignatureRequirement requirement;

    SignaturePolicy(SignatureRequirement requirement) {
        this.requirement = Objects.requireNonNull(requirement, "requirement");
    }

    static Invocation invocationOf(JsonNode message) {
        Invocation nested = invocation(message.at(AT_PAYLOAD_ACTION_INVOCATIONMETHOD_TYPE));
        Invocation topLevel = invocation(message.at(AT_INVOCATIONMETHOD_TYPE));
        if (nested == Invocation.AGENT_WEBHOOK || topLevel == Invocation.AGENT_WEBHOOK) {
            return Invocation.AGENT_WEBHOOK;
        }
        return nested == Invocation.KAFKA || topLevel == Invocation.KAFKA ? Invocation.KAFKA : Invocation.UNKNOWN;
    }

    private static Invocation invocation(JsonNode type) {
        return switch (type.isTextual() ? type.textValue() : "") {
            // A non-agent WEBHOOK never reaches Kafka from Port: whoever wrote it wants a webhook called.
            case "WEBHOOK", "GITLAB" -> Invocation.AGENT_WEBHOOK;
            case "KAFKA" -> Invocation.KAFKA;
            default -> Invocation.UNKNOWN;
        };
    }

    /**
     * Null when a run with this verdict and invocation may be handled, else the reason to
     * dead-letter it. An {@link PortSignature.Verdict#INVALID INVALID} signature is refused before
     * this is asked.
     */
    String refusal(PortSignature.Verdict verdict, Invocation invocation) {
        if (verdict != PortSignature.Verdict.UNSIGNED || !required(invocation)) {
            return null;
        }
        if (invocation == Invocation.AGENT_WEBHOOK) {
            return "unsigned run with an agent webhook invocation method, which Port always signs: "
                    + "the record was not written by Port or its X-Port-Signature was removed";
        }
        if (requirement == SignatureRequirement.ALWAYS) {
            return "unsigned run: BERTH_RUNS_REQUIRE_SIGNATURE=always requires Port's signature on every run";
        }
        return "unsigned run without a recognisable invocation method (payload.action.invocationMethod.type): "
                + "BERTH_RUNS_REQUIRE_SIGNATURE=unless-kafka requires Port's signature unless a run declares "
                + "the KAFKA invocation method";
    }

    private boolean required(Invocation invocation) {
        return switch (requirement) {
            case ALWAYS -> true;
            case UNLESS_KAFKA -> invocation != Invocation.KAFKA;
            case AGENT_WEBHOOKS -> invocation == Invocation.AGENT_WEBHOOK;
        };
    }
}
