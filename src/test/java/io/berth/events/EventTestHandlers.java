package io.berth.events;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Handlers that report progress and publish domain events, for the lifecycle events tests. */
final class EventTestHandlers {

    /** When {@link Eventful} says its run will end. */
    static final Instant ESTIMATED_COMPLETION = Instant.parse("2030-07-09T14:35:00Z");

    private EventTestHandlers() {
    }

    /**
     * {@code test_progress}: two progress reports (the second with an estimated end), a link, an
     * external id, then success. {@code test_publish}: seed 001's datacenter.deployment as a domain
     * event keyed by its change number, and one under a name Berth keeps for itself.
     */
    @ApplicationScoped
    static final class Eventful implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_progress", "test_publish");
        }

        @Override
        public RunResult handle(RunContext run) {
            if (run.action().equals("test_publish")) {
                ObjectNode data = JsonNodeFactory.instance.objectNode()
                        .put("dc_name", "NYC-DC-01")
                        .put("location", "New York Metro")
                        .put("design_pattern", "Spine-Leaf")
                        .put("source", "not-berth"); // an envelope field: the envelope's value wins
                run.publish("datacenter.deployment", "CHG-2024-001235", data);
                run.publish("task.completion", null, data); // Berth's own topic: refused
                return RunResult.success();
            }
            run.progress(10, "Reserving rack space");
            run.link(List.of("https://ci.example.com/dc/" + run.runId()));
            run.externalRunId("CHG-2024-001235");
            run.progress(65, "Configuring spines", ESTIMATED_COMPLETION);
            return RunResult.success("Data center NYC-DC-01 deployed");
        }
    }
}
