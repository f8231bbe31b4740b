package io.berth.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.berth.handlers.RunResult;
import io.berth.port.RunPatch;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.runs.RunOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The recent runs this Berth handled, as the console shows them: bounded in memory (the oldest run
 * is forgotten first, each run keeps its last lines), fed from two places:
 *
 * <pre>
 *   every report Berth sends to Port ── JournalingPortClient ──► logged / patched / entity / response
 *   every record's outcome ─────────── RecordOutcomeListener ──► status, duration, handler
 *                                                                  └─► changes(): one event per update
 * </pre>
 *
 * Only what Port accepted is recorded, so the console shows what Port shows.
 */
@Singleton // called for every record: see RecordOutcomeListener
public final class RunJournal implements RecordOutcomeListener {

    static final int MAX_LOGS = 200;
    static final int MAX_TEXT = 4_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> runs;
    private final String runsTopic;
    private final BroadcastProcessor<ObjectNode> changes = BroadcastProcessor.create();
    /** Subscribers of {@link #changes()}: with none (no console open), a change costs no snapshot. */
    private final AtomicInteger watchers = new AtomicInteger();

    @Inject
    RunJournal(ConsoleSettings settings, @ConfigProperty(name = "mp.messaging.incoming.runs.topic") String runsTopic) {
        this(settings.recentRuns(), runsTopic);
    }

    /** @param runsTopic the records whose outcomes may be runs: every dispatcher tells every listener */
    RunJournal(int capacity, String runsTopic) {
        this.runsTopic = runsTopic;
        this.runs = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The console published this run: it shows as QUEUED until Berth picks it up. */
    public void queued(String runId, String action) {
        update(runId, run -> run.put("action", action).put("status", "QUEUED").put("fromConsole", true));
    }

    void logged(String runId, String message) {
        update(runId, run -> {
            ArrayNode logs = run.withArray("logs");
            if (logs.size() >= MAX_LOGS) {
                logs.remove(0);
            }
            logs.addObject().put("at", Instant.now().toString()).put("message", bounded(message));
        });
    }

    void patched(String runId, RunPatch patch) {
        update(runId, run -> {
            if (patch.statusLabel() != null) {
                run.put("statusLabel", bounded(patch.statusLabel()));
            }
            if (patch.link() != null && !patch.link().isEmpty()) {
                ArrayNode links = run.putArray("links");
                patch.link().forEach(links::add);
            }
            if (patch.externalRunId() != null) {
                run.put("externalRunId", patch.externalRunId());
            }
            if (patch.summary() != null) {
                run.put("summary", bounded(patch.summary()));
            }
        });
    }

    void entityUpserted(String runId, String blueprint, ObjectNode entity) {
        update(runId, run -> {
            ArrayNode entities = run.withArray("entities");
            if (entities.size() < MAX_LOGS) {
                entities.addObject().put("blueprint", blueprint)
                        .put("identifier", entity.path("identifier").asText(""))
                        .put("title", entity.path("title").asText(""));
            }
        });
    }

    void responded(String runId, JsonNode response) {
        update(runId, run -> run.put("response", bounded(response.toString())));
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        if (outcome instanceof RunOutcome.Finished finished) {
            update(finished.runId(), run -> {
                run.put("action", finished.action()).put("handler", finished.handler())
                        .put("status", status(finished.result()))
                        .put("durationMs", finished.took().toMillis())
                        .put("endedAt", Instant.now().toString())
                        .put("record", record.toString());
                if (finished.result() instanceof RunResult.Failed failed) {
                    run.put("summary", bounded(failed.reason()));
                } else if (finished.result() instanceof RunResult.Succeeded succeeded && succeeded.summary() != null) {
                    run.put("summary", bounded(succeeded.summary()));
                }
                if (finished.alreadyEnded()) {
                    run.put("note", "Port had already ended this run");
                }
            });
        } else if (outcome instanceof RunOutcome.NotClaimed notClaimed) {
            update(notClaimed.runId(), run -> run.put("action", notClaimed.action()).put("status", "NOT_CLAIMED")
                    .put("record", record.toString())
                    .put("note", "No Java handler or mapping claims this action: left to other executors"));
        } else if (outcome instanceof RunOutcome.Duplicate duplicate) {
            update(duplicate.runId(), run -> run.put("note", "Redelivered and skipped (" + duplicate.howRecognised() + ")"));
        } else if (outcome instanceof RecordOutcome.Abandoned abandoned && abandoned.subject() != null
                && record.topic().equals(runsTopic)) {
            // Other capabilities abandon records too (a trigger's subject is its record's coordinates).
            update(abandoned.subject(), run -> run.put("status", "ABANDONED").put("note", abandoned.reason()));
        }
    }

    /** Snapshots of the recent runs, newest first. */
    public synchronized List<ObjectNode> recent() {
        List<ObjectNode> all = new ArrayList<>(runs.size());
        runs.values().forEach(run -> all.add(0, run.deepCopy()));
        return all;
    }

    /** One snapshot per change of a run, to whoever subscribes from then on. */
    public Multi<ObjectNode> changes() {
        return changes.onSubscription().invoke(subscription -> watchers.incrementAndGet())
                .onTermination().invoke(watchers::decrementAndGet);
    }

    private void update(String runId, Consumer<ObjectNode> change) {
        if (runId == null) {
            return;
        }
        ObjectNode snapshot;
        synchronized (this) {
            ObjectNode run = runs.get(runId);
            if (run == null) {
                run = JSON.objectNode().put("runId", runId).put("status", "IN_PROGRESS")
                        .put("startedAt", Instant.now().toString());
                runs.put(runId, run);
            } else if ("QUEUED".equals(run.path("status").asText())) {
                // Anything after queued() means Berth took the run on: its time starts now.
                run.put("status", "IN_PROGRESS").put("startedAt", Instant.now().toString());
            }
            change.accept(run);
            if (watchers.get() == 0) {
                return;
            }
            snapshot = run.deepCopy();
        }
        synchronized (changes) { // a broadcast processor takes one signal at a time
            changes.onNext(snapshot);
        }
    }

    private static String status(RunResult result) {
        if (result instanceof RunResult.Succeeded) {
            return "SUCCESS";
        }
        return result instanceof RunResult.Failed ? "FAILURE" : "LEFT_OPEN";
    }

    private static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "… (truncated)";
    }
}
