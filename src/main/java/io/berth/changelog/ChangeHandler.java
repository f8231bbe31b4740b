package io.berth.changelog;

import io.smallrye.mutiny.Uni;

/**
 * A Java change-log automation: a CDI bean (e.g. {@code @ApplicationScoped}) given each change
 * event its {@link #selects() selector} matches. Every matching handler gets the event, one after
 * another; the mapping file is consulted only for events no handler selects.
 *
 * <p>Lifecycle of one call: called once per event (again when its record is redelivered, so make it
 * idempotent, e.g. by {@link ChangeEvent#id()}), never on the event loop's behalf: do not block,
 * answer a {@link Uni} (move blocking work to a worker, e.g. {@code runSubscriptionOn}). Events of one
 * entity arrive one after another, in the topic's order. The record is committed once the
 * {@code Uni} succeeds. A failure, or no answer within {@code BERTH_CHANGELOG_HANDLER_TIMEOUT}, is
 * retried under {@code BERTH_CHANGELOG_RETRY_*}; when the retries run out, or at once when the
 * failure is an {@link io.berth.delivery.UnusableRecord}, the event goes to
 * {@code {PORT_ORG_ID}.change.log.dlq} with the failure as its reason (or, when the event carries
 * {@code context.runId}, that run is reported FAILURE), then is committed.
 */
public interface ChangeHandler {

    /** The events this handler takes; read once, at start-up. */
    ChangeSelector selects();

    Uni<Void> handle(ChangeEvent event);
}
