package io.berth.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.port.KafkaCredentials;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * Copies every report Port accepted into the {@link RunJournal}: {@link PortClient} is the one
 * interface every log line, link, label and entity goes through, so decorating it shows the console
 * exactly what Port got, whatever sent it (Java handler, mapping file, the pipeline itself). Calls
 * and their results are passed through unchanged.
 */
@Decorator
@Priority(10)
abstract class JournalingPortClient implements PortClient {

    private final PortClient delegate;
    private final RunJournal journal;

    @Inject
    JournalingPortClient(@Delegate @Any PortClient delegate, RunJournal journal) {
        this.delegate = delegate;
        this.journal = journal;
    }

    @Override
    public Uni<Void> addRunLog(String runId, String message) {
        return delegate.addRunLog(runId, message).invoke(() -> journal.logged(runId, message));
    }

    @Override
    public Uni<PatchResult> patchRun(String runId, RunPatch patch) {
        return delegate.patchRun(runId, patch).invoke(result -> {
            if (result == PatchResult.ACCEPTED) {
                journal.patched(runId, patch);
            }
        });
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, String runId, ObjectNode entity) {
        return delegate.upsertEntity(blueprint, runId, entity).invoke(() -> journal.entityUpserted(runId, blueprint, entity));
    }

    @Override
    public Uni<Void> reportRunResponse(String runId, JsonNode response) {
        return delegate.reportRunResponse(runId, response).invoke(() -> journal.responded(runId, response));
    }

    @Override
    public Uni<Void> addNodeRunLog(String nodeRunId, String level, String message) {
        return delegate.addNodeRunLog(nodeRunId, level, message).invoke(() -> journal.logged(nodeRunId, message));
    }

    @Override
    public Uni<PatchResult> completeNodeRun(String nodeRunId, String result, JsonNode output) {
        return delegate.completeNodeRun(nodeRunId, result, output).invoke(answer -> {
            if (answer == PatchResult.ACCEPTED && output != null) {
                journal.responded(nodeRunId, output);
            }
        });
    }

    @Override
    public Uni<RunStatus> runStatus(String runId) {
        return delegate.runStatus(runId);
    }

    @Override
    public Uni<KafkaCredentials> kafkaCredentials() {
        return delegate.kafkaCredentials();
    }
}
