package io.berth.runs.impl;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The run ids this process has taken on lately, bounded: the oldest are forgotten first. A run id
 * here is never handled again by this process; redeliveries older than the memory are caught by
 * asking Port for the run's status (see {@link AssignmentWatermarks}).
 *
 * <p>Each id maps to the original's end: whether its record may be committed. A redelivered record
 * (a rebalance hands the partition back while the original still runs) waits for that, so that it
 * is never committed before the original's outcome is safe.
 *
 * <pre>
 *  claim(r_1) ─► empty: yours to handle ─► ... ─► ended(r_1, committable)
 *  claim(r_1) ─► the original's end ─────────────► completes when the original ends
 * </pre>
 */
final class RecentRuns {

    private final int capacity;
    private final Map<String, CompletableFuture<Boolean>> runs;

    RecentRuns(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.runs = new LinkedHashMap<>(Math.min(capacity, 1 << 16));
    }

    /**
     * Records {@code runId} as taken on by the caller (empty), or answers the end of the run that
     * took it on first: true once its record may be committed, false if it was abandoned.
     */
    synchronized Optional<CompletableFuture<Boolean>> claim(String runId) {
        CompletableFuture<Boolean> original = runs.get(runId);
        if (original != null) {
            return Optional.of(original);
        }
        runs.put(runId, new CompletableFuture<>());
        forgetOldestEnded();
        return Optional.empty();
    }

    /**
     * Forgets the oldest ended runs beyond the capacity. Runs still in flight are skipped (their
     * duplicates must keep waiting for them); they are at most the dispatcher's concurrency, so the
     * walk is short and the memory stays bounded by capacity + concurrency.
     */
    private void forgetOldestEnded() {
        Iterator<CompletableFuture<Boolean>> oldestFirst = runs.values().iterator();
        while (runs.size() > capacity && oldestFirst.hasNext()) {
            if (oldestFirst.next().isDone()) {
                oldestFirst.remove();
            }
        }
    }

    /** The run ended; an abandoned run is forgotten so that its redelivery is handled. */
    void ended(String runId, boolean committable) {
        CompletableFuture<Boolean> original;
        synchronized (this) {
            original = committable ? runs.get(runId) : runs.remove(runId);
        }
        if (original != null) {
            original.complete(committable);
        }
    }

    synchronized int size() {
        return runs.size();
    }
}
