package io.berth.runs;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import io.berth.delivery.ControlCharacters;
import io.berth.handlers.RunResult;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.smallrye.mutiny.Uni;

/** An action run's reports: {@code /v1/actions/runs/{runId}} and its logs, response and entities. */
final class ActionRunReports implements RunReports {

    private static final Logger LOG = Logger.getLogger(ActionRunReports.class);

    private final String runId;
    private final PortClient port;

    ActionRunReports(String runId, PortClient port) {
        this.runId = runId;
        this.port = port;
    }

    @Override
    public Uni<Void> log(String message) {
        return port.addRunLog(runId, message);
    }

    @Override
    public Uni<Void> statusLabel(String label) {
        return port.patchRun(runId, RunPatch.statusLabel(label)).replaceWithVoid();
    }

    @Override
    public Uni<Void> link(List<String> links) {
        return port.patchRun(runId, RunPatch.link(links)).replaceWithVoid();
    }

    @Override
    public Uni<Void> externalRunId(String id) {
        return port.patchRun(runId, RunPatch.externalRunId(id)).replaceWithVoid();
    }

    @Override
    public Uni<Void> update(RunPatch fields) {
        return port.patchRun(runId, fields).replaceWithVoid();
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, ObjectNode entity) {
        return port.upsertEntity(blueprint, runId, entity);
    }

    @Override
    public Uni<Void> respond(JsonNode response) {
        return port.reportRunResponse(runId, response);
    }

    @Override
    public Uni<PortClient.PatchResult> end(RunResult result, RunPatch alongside) {
        RunPatch patch;
        if (result instanceof RunResult.Succeeded success) {
            patch = RunPatch.terminal("SUCCESS", success.summary());
        } else if (result instanceof RunResult.Failed failure) {
            patch = RunPatch.terminal("FAILURE", failure.reason());
        } else {
            throw new IllegalArgumentException("a run left open has no end to report");
        }
        if (alongside.isEmpty()) {
            return port.patchRun(runId, patch);
        }
        RunPatch terminal = patch;
        // The fields must not cost the run its end: a combined PATCH Port refuses is sent again without them.
        return port.patchRun(runId, alongside.then(terminal))
                .onFailure(refused -> refused instanceof PortCallException call && !call.isTransient())
                .recoverWithUni(refused -> {
                    LOG.warnf("run %s: Port refused the terminal status with %s (%s); sending the status alone",
                            ControlCharacters.escape(runId), alongside.fieldNames(), refused.getMessage());
                    return port.patchRun(runId, terminal);
                });
    }

    @Override
    public Uni<Boolean> endedInPort() {
        return port.runStatus(runId).map(PortClient.RunStatus::isTerminal);
    }
}
