package io.berth.cloudevents.impl;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import jakarta.inject.Singleton;

/**
 * Hands each pushed record's outcome to the request waiting for it. A listener of every dispatcher
 * (as the offset commits are), it knows pushed records by identity and ignores all others.
 */
@Singleton // called for every record: see RecordOutcomeListener
final class PushedOutcomes implements RecordOutcomeListener {

    private final Map<InboundRecord, CompletableFuture<RecordOutcome>> waiting = new ConcurrentHashMap<>();

    /** The outcome {@code record} will end in; call {@link #forget} once the request is answered. */
    CompletableFuture<RecordOutcome> await(InboundRecord record) {
        return waiting.computeIfAbsent(record, pushed -> new CompletableFuture<>());
    }

    /** The request was answered (or timed out): its record's outcome is no longer awaited. */
    void forget(InboundRecord record) {
        waiting.remove(record);
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        CompletableFuture<RecordOutcome> pending = waiting.remove(record);
        if (pending != null) {
            pending.complete(outcome);
        }
    }

    /** Number of pushes waiting for their outcome. */
    int waiting() {
        return waiting.size();
    }
}
