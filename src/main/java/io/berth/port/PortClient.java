package io.berth.port;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * Port's executor API, as Berth uses it. Every call authenticates with a cached access token
 * (refreshed once on a 401) and retries what {@link io.berth.retry.RetryRules#forPort} allows.
 *
 * <p>A call that Port refuses for good, or that still fails when its retries run out, fails with a
 * {@link PortCallException}; its message names the call and the status, never a token or a secret.
 */
public interface PortClient {

    /** {@code POST /v1/actions/runs/{runId}/logs}. */
    Uni<Void> addRunLog(String runId, String message);

    /**
     * {@code PATCH /v1/actions/runs/{runId}}. A run that already has a terminal status answers 422:
     * that is {@link PatchResult#ALREADY_TERMINAL}, not a failure.
     */
    Uni<PatchResult> patchRun(String runId, RunPatch patch);

    /** {@code GET /v1/actions/runs/{runId}}: the run's status, {@link RunStatus#UNKNOWN} if Port does not know it. */
    Uni<RunStatus> runStatus(String runId);

    /** {@code POST /v1/blueprints/{blueprint}/entities?upsert=true&merge=true&run_id={runId}}. */
    Uni<Void> upsertEntity(String blueprint, String runId, ObjectNode entity);

    /** {@code PATCH /v1/actions/runs/{runId}/response}: a synchronized webhook's answer. */
    Uni<Void> reportRunResponse(String runId, JsonNode response);

    /**
     * {@code POST /v1/actions/{action}/runs} with {@code {"properties", "entity"}}: starts a
     * self-service action run, as a user would in Port's UI. Port answers 404 for an unknown action
     * and 422 for properties that do not fit its inputs: both fail with a {@link PortCallException}.
     *
     * @param entity the entity identifier of a day-2 action, or null
     * @return the new run's id
     */
    Uni<String> startActionRun(String action, String entity, JsonNode properties);

    /**
     * {@code POST /v1/workflows/nodes/runs/{nodeRunId}/logs} with {@code {"logs": [{"level", "message"}]}}:
     * a line in a workflow node run's log.
     *
     * @param level INFO, WARN, ERROR or DEBUG
     */
    Uni<Void> addNodeRunLog(String nodeRunId, String level, String message);

    /**
     * {@code PATCH /v1/workflows/nodes/runs/{nodeRunId}} with {@code {"status": "COMPLETED", "result",
     * "output"}}: ends a workflow node run. Port has no documented GET for a node run, so a refusal
     * of this well-formed body (409 or 422) is read as "already completed":
     * {@link PatchResult#ALREADY_TERMINAL}.
     *
     * @param result SUCCESS or FAILED
     * @param output the node's output, or null for none
     */
    Uni<PatchResult> completeNodeRun(String nodeRunId, String result, JsonNode output);

    /** {@code GET /v1/kafka-credentials}: the brokers and SASL credentials Port issued. */
    Uni<KafkaCredentials> kafkaCredentials();

    /**
     * {@code POST /v1/actions/runs/claim-pending} with port-agent's body: up to {@code limit} runs
     * waiting for this organisation's agent, each invisible to other claims until Port's visibility
     * timeout. Answers the runs as Port gives them (under {@code runs}, or {@code data}), objects only.
     * One attempt (a 401 still fetches a new token once): the poller's backoff is its retry.
     */
    Uni<List<JsonNode>> claimPendingRuns(int limit);

    /** {@code PATCH /v1/actions/runs/ack} with {@code {"runIds"}}: answers Port's {@code ackedCount}. */
    Uni<Integer> ackRuns(List<String> runIds);

    /**
     * {@code PATCH /v1/organization} with {@code {"settings": {"portAgentStreamerName": streamer}}}:
     * tells Port how this organisation's agent takes its runs, as port-agent does at start-up.
     */
    Uni<Void> announceStreamer(String streamer);

    /** What a run PATCH achieved. */
    enum PatchResult {
        ACCEPTED,
        /** Port refused the PATCH because the run already ended: nothing more may be written. */
        ALREADY_TERMINAL
    }

    /** A run's status in Port. */
    enum RunStatus {
        IN_PROGRESS,
        SUCCESS,
        FAILURE,
        UNKNOWN;

        public boolean isTerminal() {
            return this == SUCCESS || this == FAILURE;
        }
    }
}
