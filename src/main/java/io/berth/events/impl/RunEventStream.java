package io.berth.events.impl;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.events.EventPublisher;
import io.berth.events.EventSettings;
import io.berth.handlers.RunResult;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.runs.RunContext;
import io.berth.runs.RunObserver;
import io.berth.runs.RunOutcome;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Turns a run's life into events, all keyed by its run id: observed while it runs
 * ({@link RunObserver}), ended by its outcome ({@link RecordOutcomeListener}).
 *
 * <pre>
 *  started ─────────────► task.status      started, 0 %
 *  progress(p, m, eta) ─► task.status      in_progress, p %, m, eta
 *  Finished(Failed) ────► task.status      failed, error_details
 *                    └──► task.completion  completed | failed        (Finished only: exactly one)
 *  publish(name, k, d) ─► {name}           domain event, keyed by k (default: the run id)
 *  Abandoned ───────────► nothing: the run is redelivered and starts again
 * </pre>
 *
 * Runs are remembered from pick-up to outcome only, so memory is bounded by the runs in flight.
 */
@Singleton // called for every record: see RecordOutcomeListener
final class RunEventStream implements RunObserver, RecordOutcomeListener {

    private static final Logger LOG = Logger.getLogger(RunEventStream.class);

    /** Kafka's topic characters; the lifecycle topics are Berth's own. */
    private static final Pattern DOMAIN_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final List<String> RESERVED = List.of("task.status", "task.completion");

    private final boolean enabled;
    private final String prefix;
    private final EventPublisher publisher;
    private final Map<String, RunTrack> runs = new ConcurrentHashMap<>();

    @Inject
    RunEventStream(EventSettings settings, EventPublisher publisher) {
        this.enabled = settings.enabled();
        this.prefix = settings.topicPrefix();
        this.publisher = publisher;
    }

    @Override
    public void started(RunContext run, String handler) {
        if (!enabled) {
            return;
        }
        Instant now = Instant.now();
        RunTrack track = RunTrack.of(run, now);
        runs.put(run.runId(), track);
        status(track, EventEnvelope.status(track, now, "started",
                "Berth picked up the run: action " + run.action() + ", handled by " + handler, null, null));
    }

    @Override
    public void progress(RunContext run, int percent, String message, Instant estimatedCompletion) {
        RunTrack track = runs.get(run.runId());
        if (track == null) {
            return;
        }
        track.percent(percent);
        status(track, EventEnvelope.status(track, Instant.now(), "in_progress", message, null, estimatedCompletion));
    }

    @Override
    public void linked(RunContext run, List<String> urls) {
        RunTrack track = runs.get(run.runId());
        if (track != null) {
            track.links(urls);
        }
    }

    @Override
    public void externalRunId(RunContext run, String id) {
        RunTrack track = runs.get(run.runId());
        if (track != null) {
            track.externalId(id);
        }
    }

    @Override
    public void published(RunContext run, String name, String key, ObjectNode data) {
        if (!enabled) {
            return;
        }
        if (name == null || !DOMAIN_NAME.matcher(name).matches() || RESERVED.contains(name)) {
            LOG.warnf("Run %s: domain event name '%s' refused: use letters, digits, '_', '-' and dots between "
                    + "them (e.g. datacenter.deployment), other than task.status and task.completion", run.runId(), name);
            return;
        }
        RunTrack track = runs.get(run.runId());
        if (track == null) { // published from a thread that outlived the run: an envelope all the same
            track = RunTrack.of(run, Instant.now());
        }
        publisher.publish(prefix + "." + name, key == null ? run.runId() : key,
                EventEnvelope.domain(track, Instant.now(), name, data), track.trace);
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        if (outcome instanceof RecordOutcome.Abandoned abandoned && abandoned.subject() != null) {
            runs.remove(abandoned.subject());
        }
        if (!(outcome instanceof RunOutcome.Finished finished)) {
            return;
        }
        RunTrack track = runs.remove(finished.runId());
        if (track == null) {
            return;
        }
        Instant now = Instant.now();
        RunResult result = finished.result();
        if (result instanceof RunResult.Failed failure) {
            status(track, EventEnvelope.status(track, now, "failed", "The run failed", failure.reason(), null));
            completion(track, EventEnvelope.completion(track, now, false, failure.reason(), failure.reason(), "FAILURE",
                    finished.took()));
        } else if (result instanceof RunResult.Succeeded success) {
            completion(track, EventEnvelope.completion(track, now, true, success.summary(), null, "SUCCESS",
                    finished.took()));
        } else {
            completion(track, EventEnvelope.completion(track, now, true,
                    "Handed over: the system the run was sent to reports its end to Port", null, "IN_PROGRESS",
                    finished.took()));
        }
    }

    private void status(RunTrack track, ObjectNode event) {
        publisher.publish(prefix + ".task.status", track.runId, event, track.trace);
    }

    private void completion(RunTrack track, ObjectNode event) {
        publisher.publish(prefix + ".task.completion", track.runId, event, track.trace);
    }
}
