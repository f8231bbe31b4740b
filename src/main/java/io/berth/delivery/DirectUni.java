package io.berth.delivery;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * A {@code Uni} whose work completes it through a callback, for a record's path through the
 * delivery core. Mutiny hands every callback given to one of its operators to SmallRye context
 * propagation, which captures the thread's contexts each time; on a Vert.x event loop that capture
 * creates a duplicated Vert.x context and its map of locals, per callback, so a record that passed
 * through some forty operators allocated about 36 KiB for contexts it never read (its span is passed
 * explicitly, see {@code io.berth.tracing.Tracing}). This one passes its callback to no operator:
 * each subscription starts the work once, and the first of item, failure or cancellation wins.
 */
public final class DirectUni<T> extends AbstractUni<T> {

    /** Where the work reports: exactly once, with an item or a failure (later calls are ignored). */
    public interface Completion<T> {

        void complete(T item);

        void fail(Throwable failure);
    }

    /** The work, started on subscription: answers what cancels it (or null for nothing to cancel). */
    @FunctionalInterface
    public interface Work<T> {

        Runnable start(Completion<T> completion);
    }

    private static final Runnable CANCELLED = () -> { };

    private final Work<T> work;

    private DirectUni(Work<T> work) {
        this.work = work;
    }

    public static <T> DirectUni<T> of(Work<T> work) {
        return new DirectUni<>(work);
    }

    @Override
    public void subscribe(UniSubscriber<? super T> subscriber) {
        Subscription<T> subscription = new Subscription<>(subscriber);
        subscriber.onSubscribe(subscription);
        Runnable cancel;
        try {
            cancel = work.start(subscription);
        } catch (Throwable e) { // as Uni.createFrom().emitter: an error thrown by the work fails its answer
            subscription.fail(e);
            return;
        }
        if (cancel != null && !subscription.cancel.compareAndSet(null, cancel)) {
            cancel.run(); // cancelled while the work was starting
        }
    }

    private static final class Subscription<T> implements UniSubscription, Completion<T> {

        private final UniSubscriber<? super T> subscriber;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** The work's cancellation once it has started; {@link #CANCELLED} once cancelled. */
        private final AtomicReference<Runnable> cancel = new AtomicReference<>();

        private Subscription(UniSubscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void complete(T item) {
            if (ended.compareAndSet(false, true)) {
                subscriber.onItem(item);
            }
        }

        @Override
        public void fail(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                subscriber.onFailure(failure);
            }
        }

        @Override
        public void cancel() {
            if (ended.compareAndSet(false, true)) {
                Runnable action = cancel.getAndSet(CANCELLED);
                if (action != null) {
                    action.run();
                }
            }
        }
    }
}
