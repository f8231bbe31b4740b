package io.berth.delivery;

import io.smallrye.mutiny.Uni;

/**
 * A capability's part of delivery: what a record means and what to call for it. Everything around
 * it (permits, dead letters, outcomes, commits, shutdown) is the {@link RecordDispatcher}'s.
 *
 * <p>Lifecycle of one call:
 * <ul>
 *   <li>called once per record, on the consumer's thread or a Vert.x context: do no blocking work
 *       on it, answer a {@link Uni};
 *   <li>the {@code Uni} ends in the record's {@link RecordOutcome} (the capability's own, or
 *       {@link RecordOutcome.Abandoned} when it gave up because Berth is stopping);
 *   <li>it fails with {@link UnusableRecord} when the record can never be delivered: the record is
 *       dead-lettered with that reason;
 *   <li>any other failure is a fault: the record is dead-lettered with the failure's class as the
 *       reason, so that no record stays uncommitted for good.
 * </ul>
 */
@FunctionalInterface
public interface RecordHandler {

    Uni<RecordOutcome> handle(InboundRecord record);
}
