package io.berth.runs;

import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.delivery.ControlCharacters;
import io.berth.handlers.RunResult;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.smallrye.mutiny.Uni;

/**
 * A workflow node run's reports ({@code /v1/workflows/nodes/runs/{id}}), as port-agent makes them:
 * log lines, and one PATCH that completes the node with its result and output. A node run has no
 * status label, link or external id in Port: those are skipped (at debug level).
 */
final class NodeRunReports implements RunReports {

    private static final Logger LOG = Logger.getLogger(NodeRunReports.class);

    private final String nodeRunId;
    private final PortClient port;
    private volatile JsonNode responded;

    NodeRunReports(String nodeRunId, PortClient port) {
        this.nodeRunId = nodeRunId;
        this.port = port;
    }

    @Override
    public Uni<Void> log(String message) {
        return port.addNodeRunLog(nodeRunId, "INFO", message);
    }

    @Override
    public Uni<Void> statusLabel(String label) {
        return skipped("status label");
    }

    @Override
    public Uni<Void> link(List<String> links) {
        return skipped("link");
    }

    @Override
    public Uni<Void> externalRunId(String id) {
        return skipped("external run id");
    }

    @Override
    public Uni<Void> update(RunPatch fields) {
        return skipped("status label, link or external run id");
    }

    /** Port ties entities to action runs only ({@code run_id}): a node run's entity is upserted untied. */
    @Override
    public Uni<Void> upsertEntity(String blueprint, ObjectNode entity) {
        return port.upsertEntity(blueprint, null, entity);
    }

    /** Kept as the node's output, sent when it ends unless the result carries one. */
    @Override
    public Uni<Void> respond(JsonNode response) {
        responded = response;
        return Uni.createFrom().voidItem();
    }

    /**
     * The summary (INFO) or the failure's reason (ERROR) goes to the node's log first, since the
     * PATCH has no place for it; a log line Port refuses does not keep the node from completing.
     * The fields {@code alongside} have no place in a node run either.
     */
    @Override
    public Uni<PortClient.PatchResult> end(RunResult result, RunPatch alongside) {
        String outcome;
        String level;
        String line;
        JsonNode output = responded;
        if (result instanceof RunResult.Succeeded success) {
            outcome = "SUCCESS";
            level = "INFO";
            line = success.summary();
            if (success.output() != null) {
                output = success.output();
            }
        } else if (result instanceof RunResult.Failed failure) {
            outcome = "FAILED";
            level = "ERROR";
            line = failure.reason();
        } else {
            throw new IllegalArgumentException("a run left open has no end to report");
        }
        JsonNode sent = output;
        Uni<Void> logged = line == null ? Uni.createFrom().voidItem()
                : port.addNodeRunLog(nodeRunId, level, line).onFailure().recoverWithUni(failure -> {
                    LOG.warnf("node run %s: its closing log line was not accepted (%s)",
                            ControlCharacters.escape(nodeRunId), failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
        return logged.chain(() -> port.completeNodeRun(nodeRunId, outcome, sent));
    }

    /** Port documents no GET for a node run (port-agent asks for none): only the completing PATCH tells. */
    @Override
    public Uni<Boolean> endedInPort() {
        return Uni.createFrom().nullItem();
    }

    private Uni<Void> skipped(String what) {
        LOG.debugf("node run %s: a workflow node run has no %s in Port; not sent", ControlCharacters.escape(nodeRunId),
                what);
        return Uni.createFrom().voidItem();
    }
}
