package io.berth.triggers;

import io.smallrye.mutiny.Uni;

/**
 * A Java target of topic triggers: a CDI bean (e.g. {@code @ApplicationScoped}) that a trigger names
 * with {@code "target": {"handler": "<name>"}}. Names must be unique: start-up stops when a trigger
 * names a handler that no bean or several beans answer to.
 *
 * <p>Lifecycle of one call: called once per record (again when the record is redelivered, so make
 * it idempotent, e.g. by {@link TriggerEnvelope#id()}), never on the event loop's behalf: do not
 * block, answer a {@link Uni}. The record is committed once the {@code Uni} succeeds. A failure is
 * retried under {@code BERTH_TRIGGERS_RETRY_*}; when the retries run out, or at once when the
 * failure is an {@link io.berth.delivery.UnusableRecord}, the record goes to the trigger's
 * dead-letter topic with the failure as its reason, then is committed.
 */
public interface TriggerHandler {

    /** The name triggers select this handler by; fixed for the bean's life. */
    String name();

    Uni<Void> handle(TriggerEnvelope envelope);
}
