package io.berth.runs;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.RunResult;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.smallrye.mutiny.Uni;

/**
 * Where one run's reports go in Port: the one place that knows an action run ({@code r_...},
 * {@code /v1/actions/runs/...}) from a workflow node run ({@code wfnr_...},
 * {@code /v1/workflows/nodes/runs/...}). Everything above it (the reporting context, the record
 * handler, the webhook invoker) reports the same way whatever the run is.
 *
 * <pre>
 *                   action run                          workflow node run
 *  log              POST .../runs/{id}/logs {message}   POST .../nodes/runs/{id}/logs {logs:[{level,message}]}
 *  statusLabel,     PATCH .../runs/{id}                 nothing (a node run has none)
 *  link, externalId (several at once: update, one PATCH)
 *  upsertEntity     POST entities ?run_id={id}          POST entities (no run_id: Port ties entities to action runs)
 *  respond          PATCH .../runs/{id}/response        kept: the output the node ends with
 *  end              PATCH status SUCCESS|FAILURE        a log line with the summary, then
 *                   with the summary (and the fields    PATCH {status: COMPLETED, result: SUCCESS|FAILED, output}
 *                   that land with it)
 *  endedInPort      GET .../runs/{id}                   unknown (Port documents no GET for a node run)
 * </pre>
 *
 * Calls fail as {@link PortClient}'s do; retrying and waiting out outages is the caller's.
 */
public interface RunReports {

    /** The reports of {@code runId}: a workflow node run's when it starts with {@code wfnr_}. */
    static RunReports forRun(String runId, PortClient port) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(port, "port");
        return isWorkflowNodeRun(runId) ? new NodeRunReports(runId, port) : new ActionRunReports(runId, port);
    }

    /** Port's workflow node run ids start with {@code wfnr_}. */
    static boolean isWorkflowNodeRun(String runId) {
        return runId.startsWith("wfnr_");
    }

    Uni<Void> log(String message);

    Uni<Void> statusLabel(String label);

    Uni<Void> link(List<String> links);

    Uni<Void> externalRunId(String id);

    /** Several of the run's fields at once (status label, link, external id; no status): one call. */
    Uni<Void> update(RunPatch fields);

    Uni<Void> upsertEntity(String blueprint, ObjectNode entity);

    /** A synchronized invocation's answer. */
    Uni<Void> respond(JsonNode response);

    /**
     * Ends the run, once: {@code result} is {@link RunResult.Succeeded} or {@link RunResult.Failed}
     * ({@link RunResult.LeftOpen} is never reported). {@link PortClient.PatchResult#ALREADY_TERMINAL}
     * when Port had ended it already.
     */
    default Uni<PortClient.PatchResult> end(RunResult result) {
        return end(result, RunPatch.NONE);
    }

    /**
     * As {@link #end(RunResult)}, with the fields queued last ({@code alongside}: status label,
     * link, external id) in the same call where Port allows it.
     */
    Uni<PortClient.PatchResult> end(RunResult result, RunPatch alongside);

    /**
     * Whether Port has ended the run already: true or false, or null when Port offers no way to
     * ask (then only {@link #end} tells, by refusing).
     */
    Uni<Boolean> endedInPort();
}
