package io.berth.runs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * What a handler sees of one action run, and how it reports progress to Port.
 *
 * <p>Reporting calls ({@link #log}, {@link #statusLabel}, {@link #link}, {@link #externalRunId})
 * return at once: Berth sends them to Port in the order they were made, retrying as needed, and
 * sends the terminal status only after all of them. They are safe to call from any thread.
 */
public interface RunContext {

    /** Port's run id ({@code r_...}, or {@code wfnr_...} for workflow node runs). */
    String runId();

    /** The action identifier that routed this run. */
    String action();

    /** The user inputs ({@code payload.properties}), decrypted where a mapping asked; never null. */
    ObjectNode inputs();

    /** The entity the action ran on ({@code payload.entity}), if any. */
    Optional<JsonNode> entity();

    /** The blueprint of the action ({@code context.blueprint}), if known. */
    Optional<String> blueprint();

    /** The e-mail of the user who triggered the run, if known. */
    Optional<String> triggeredBy();

    /** The whole run message, with Port's signature headers removed. Do not mutate. */
    JsonNode message();

    /** Adds a line to the run's log in Port. */
    void log(String message);

    /** Sets the run's status label (a short progress text shown in Port). */
    void statusLabel(String label);

    /** Sets the run's link(s), e.g. a pipeline URL. */
    void link(List<String> urls);

    /** Sets the id of the run in the system the handler called. */
    void externalRunId(String id);

    /**
     * Reports progress: a log line and the status label in Port and, with lifecycle events on, a
     * {@code task_status_update} event. {@code percent} is clamped to 0..100. Returns at once.
     */
    default void progress(int percent, String message) {
        progress(percent, message, null);
    }

    /** As {@link #progress(int, String)}, with when the run is expected to end (null: unknown). */
    default void progress(int percent, String message, Instant estimatedCompletion) {
        String line = RunProgress.line(percent, message, estimatedCompletion);
        log(line);
        statusLabel(RunProgress.label(percent, message));
    }

    /**
     * Publishes a domain event of the handler's own to {@code {BERTH_EVENTS_TOPIC_PREFIX}.{name}}
     * (e.g. {@code datacenter.deployment}), keyed by {@code key} (null: the run id), with the
     * lifecycle events' envelope fields around {@code data}'s. Returns at once and never fails the
     * run: a failure to publish is logged and counted. Does nothing while lifecycle events are off.
     */
    default void publish(String name, String key, ObjectNode data) {
    }

    /**
     * Creates or updates an entity and ties it to this run ({@code run_id}). Completes when Port
     * has accepted it; fails when Port refused it.
     */
    Uni<Void> upsertEntity(String blueprint, ObjectNode entity);

    /** Reports the response of a synchronized invocation ({@code PATCH .../response}). */
    Uni<Void> respond(JsonNode response);
}
