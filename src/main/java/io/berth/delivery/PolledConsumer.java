package io.berth.delivery;

import java.time.Duration;

/**
 * One topic consumed by a kafka-clients consumer on a thread of its own, for sources declared at
 * runtime in a file (topic triggers, the bridge's subscriptions), which cannot be reactive-messaging
 * channels (those are fixed at build time). It feeds a {@link RecordDispatcher}, at least once:
 * an offset is committed only below the oldest record whose outcome is not known yet.
 *
 * <p>Lifecycle: {@link #start()} once; {@link #stop(Duration)} once, which lets records in flight
 * end (the dispatcher's grace), commits what is done, and closes the consumer.
 */
public interface PolledConsumer {

    void start();

    /** Stops consuming, lets records in flight end, commits, closes. Blocks up to {@code wait}. */
    void stop(Duration wait);

    /** Told what the consumer does, for readiness and the console. Called on the consumer's thread; must be quick. */
    interface Activity {

        /** After each rebalance: the group answered, so the consumer is connected and a member. */
        default void assigned(int partitions) {
        }

        /** The group dropped this consumer (its session expired): it rejoins on its next poll. */
        default void lost(int partitions) {
        }

        /** The consumer's loop has ended: stopped, or killed by an error (liveness tells the two apart). */
        default void stopped() {
        }
    }
}
