package io.berth.triggers.impl;

import io.berth.triggers.TriggerEnvelope;
import io.smallrye.mutiny.Uni;

/**
 * What a trigger fires, ready to call. Each implementation retries under its own rules (webhooks,
 * Port, handlers: {@code io.berth.retry.RetryRules}) and fails only once retrying is over; its
 * failure's message becomes the dead letter's reason, so it must not carry a secret.
 */
interface TriggerTarget {

    /** Names the target in log lines and reasons. */
    String describe();

    /** @return what the target did, for the log line and the console (a status, a run id) */
    Uni<String> fire(TriggerEnvelope envelope);
}
