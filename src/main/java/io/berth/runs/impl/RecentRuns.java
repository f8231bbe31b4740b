package io.berth.runs.impl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run ids this process has taken on lately, bounded: the oldest are forgotten first. A run id
 * here is never handled again by this process; redeliveries older than the memory are caught by
 * asking Port for the run's status (see {@link AssignmentWatermarks}).
 */
final class RecentRuns {

    private final Map<String, Boolean> runs;

    RecentRuns(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.runs = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records {@code runId}; false if it was already there (a duplicate). */
    synchronized boolean claim(String runId) {
        return runs.putIfAbsent(runId, Boolean.TRUE) == null;
    }

    /** Forgets a run that was not carried through, so that its redelivery is handled. */
    synchronized void forget(String runId) {
        runs.remove(runId);
    }

    synchronized int size() {
        return runs.size();
    }
}
