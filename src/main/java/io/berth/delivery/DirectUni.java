package io.berth.delivery;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
        if (cancel != null && !Subscription.CANCEL.compareAndSet(subscription, null, cancel)) {
            cancel.run(); // cancelled while the work was starting
        }
    }

    /** Its state in its own fields, set through handles: no atomic holder objects per subscription. */
    private static final class Subscription<T> implements UniSubscription, Completion<T> {

        private static final VarHandle ENDED;
        static final VarHandle CANCEL;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                ENDED = lookup.findVarHandle(Subscription.class, "ended", boolean.class);
                CANCEL = lookup.findVarHandle(Subscription.class, "cancel", Runnable.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final UniSubscriber<? super T> subscriber;
        private volatile boolean ended;
        /** The work's cancellation once it has started; {@link #CANCELLED} once cancelled. */
        private volatile Runnable cancel;

        private Subscription(UniSubscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        /** True for the first of item, failure and cancellation alone. */
        private boolean end() {
            return ENDED.compareAndSet(this, false, true);
        }

        @Override
        public void complete(T item) {
            if (end()) {
                subscriber.onItem(item);
            }
        }

        @Override
        public void fail(Throwable failure) {
            if (end()) {
                subscriber.onFailure(failure);
            }
        }

        @Override
        public void cancel() {
            if (end()) {
                Runnable action = (Runnable) CANCEL.getAndSet(this, CANCELLED);
                if (action != null) {
                    action.run();
                }
            }
        }
    }
}
