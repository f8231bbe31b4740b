package io.berth.runs.impl;

import java.util.concurrent.CompletableFuture;

import io.berth.port.RunPatch;

/**
 * Run fields a handler set back to back (status label, link, external id), waiting in a run's
 * report queue to go to Port as one PATCH. Later values of a field replace earlier ones, as a
 * second PATCH would have. Guarded by the {@link ReportingRunContext} that owns it.
 */
final class CoalescedFields {

    private RunPatch fields;
    private boolean taken;
    /** Completes when the fields may go: the window ended, another report followed, or the run ended. */
    private final CompletableFuture<Void> due = new CompletableFuture<>();

    CoalescedFields(RunPatch first) {
        this.fields = first;
    }

    void add(RunPatch later) {
        fields = fields.then(later);
    }

    /** The fields, once: null when they were taken already (by the terminal PATCH, or sent). */
    RunPatch take() {
        if (taken) {
            return null;
        }
        taken = true;
        return fields;
    }

    CompletableFuture<Void> due() {
        return due;
    }

    /** Lets them go; call outside the owner's lock (the send may start on this thread). */
    void release() {
        due.complete(null);
    }
}
