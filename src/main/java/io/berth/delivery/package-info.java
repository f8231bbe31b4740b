/**
 * The one delivery core: how every capability that consumes records (the runs, and in time the
 * change log, triggers, the bridge and records pushed over HTTP) takes them, sees each to one
 * outcome and lets its offset be committed.
 *
 * <p>A capability supplies only a {@link io.berth.delivery.RecordHandler}: what a record means and
 * what to call. The {@link io.berth.delivery.RecordDispatcher} around it holds the permits that
 * hold the source back, dead-letters what is unusable or faulty with the reason
 * ({@link io.berth.delivery.DeadLetters}), and announces every
 * {@link io.berth.delivery.RecordOutcome} to the {@link io.berth.delivery.RecordOutcomeListener}s,
 * one of which commits offsets ({@code impl.OffsetCommits}): the connector commits only below the
 * oldest record whose outcome is not yet known. A source declared at runtime (a trigger, a bridge
 * subscription) is a {@link io.berth.delivery.PolledConsumer}, whose offset tracker commits the same
 * way and which pauses partitions under backpressure. {@link io.berth.delivery.OrderedLanes} keeps
 * records of one key in order while others run alongside, in the lanes an
 * {@link io.berth.delivery.Ordering} names. What to retry is decided once, in
 * {@code io.berth.retry.RetryRules}. A record's own path takes no Mutiny operator per step (each
 * one's callback is wrapped by context propagation): one subscriber, callbacks, and
 * {@link io.berth.delivery.DirectUni} where a {@code Uni} must be answered.
 */
package io.berth.delivery;
