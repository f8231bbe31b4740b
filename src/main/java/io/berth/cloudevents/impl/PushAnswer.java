package io.berth.cloudevents.impl;

import io.berth.delivery.RecordOutcome;

/**
 * The status a push earns, chosen so that a KafkaSource retries what Berth did not finish and sends
 * nothing good to its dead-letter sink: 2xx only once the outcome is safe (reported to Port, skipped,
 * or stored on Berth's own dead-letter topic); 5xx otherwise; a 4xx only for a request that is not a
 * readable event at all.
 *
 * <pre>
 *  outcome committable (Finished, Duplicate, NotClaimed, DeadLettered, a change handled) ─► 200
 *  DeadLetterFailed (Berth's dead-letter topic refused it) ─► 500: the KafkaSource keeps it (retries, then its sink)
 *  Abandoned (Berth stopping), or no outcome within BERTH_CLOUDEVENTS_ANSWER_WITHIN (Port unreachable) ─► 503
 * </pre>
 */
enum PushAnswer {

    DONE(200, "done"),
    NOT_STORED(500, "Berth could not store the record on its dead-letter topic; retry or dead-letter it"),
    TRY_AGAIN(503, "not finished yet (Port unreachable, or Berth stopping); retry");

    final int status;
    final String message;

    PushAnswer(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** @param outcome the record's outcome, or null when it did not come in time */
    static PushAnswer of(RecordOutcome outcome) {
        if (outcome == null || !outcome.committable()) {
            return TRY_AGAIN;
        }
        return outcome instanceof RecordOutcome.DeadLetterFailed ? NOT_STORED : DONE;
    }
}
