package io.berth.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs an asynchronous call again while its {@link Classifier} says so and its {@link RetryPolicy}
 * allows. Waiting never holds a thread: each delay is a timer on Mutiny's scheduler.
 *
 * <p>Each retry is counted in {@code berth_retries_total{call}}, by the kind of call (a fixed word such
 * as {@code port} or {@code bridge}, never the call's own description), in Micrometer's global
 * registry, to which Quarkus adds the Prometheus one.
 *
 * <p>When the retries run out, the last outcome is returned as it was: the last item (a 503
 * response, say) or the last failure. The caller decides what that outcome means.
 */
public final class Retrying {

    private static final Logger LOG = Logger.getLogger(Retrying.class);

    /** Decides whether an attempt's outcome (exactly one of {@code item}, {@code failure}) is retried. */
    @FunctionalInterface
    public interface Classifier<T> {
        RetryDecision classify(T item, Throwable failure);
    }

    private Retrying() {
    }

    /**
     * @param what names the call in log lines, e.g. {@code "PATCH run r_123"}; never a secret
     */
    public static <T> Uni<T> call(Supplier<Uni<T>> attempt, Classifier<T> classifier, RetryPolicy policy,
            String what) {
        return call(attempt, classifier, policy, what, "other");
    }

    /**
     * @param what names the call in log lines, e.g. {@code "PATCH run r_123"}; never a secret
     * @param kind the metric's label: one of a few fixed words ({@code port}, {@code webhook}, ...)
     */
    public static <T> Uni<T> call(Supplier<Uni<T>> attempt, Classifier<T> classifier, RetryPolicy policy,
            String what, String kind) {
        return call(attempt, classifier, policy, () -> what, kind);
    }

    /**
     * As above, with {@code what} built only when a line is logged: for a call made once per record,
     * whose description would otherwise be built for every record and used for almost none.
     */
    public static <T> Uni<T> call(Supplier<Uni<T>> attempt, Classifier<T> classifier, RetryPolicy policy,
            Supplier<String> what, String kind) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(policy, "policy");
        // One retry loop, the callback one below: each attempt's Uni is subscribed by it, and cancelling
        // the answer cancels the attempt in flight or the wait.
        return Uni.createFrom().emitter(emitter -> {
            Runnable cancel = call((number, done) -> Uni.createFrom().<T>deferred(attempt::get).subscribe()
                    .with(item -> done.accept(item, null), failure -> done.accept(null, failure))::cancel,
                    classifier, policy, what, kind, (item, failure) -> {
                        if (failure != null) {
                            emitter.fail(failure);
                        } else {
                            emitter.complete(item);
                        }
                    });
            emitter.onTermination(cancel);
        });
    }

    /**
     * The wait before attempt {@code number + 1} (counted and logged), or null when attempt
     * {@code number}'s outcome is the last (logged when retries ran out).
     */
    private static <T> Duration nextWait(RetryDecision decision, T item, Throwable failure, RetryPolicy policy,
            Supplier<String> what, String kind, int number, long deadline) {
        if (decision instanceof RetryDecision.Retry retry && number < policy.maxAttempts()) {
            Duration delay = policy.delayAfter(number);
            if (retry.notBefore().isPresent() && retry.notBefore().get().compareTo(delay) > 0) {
                delay = retry.notBefore().get();
            }
            if (System.nanoTime() + delay.toNanos() < deadline) {
                if (LOG.isDebugEnabled()) {
                    LOG.debugf("%s: attempt %d failed (%s), retrying in %d ms", what.get(), number,
                            describe(item, failure), delay.toMillis());
                }
                Metrics.counter("berth.retries", "call", kind).increment();
                return delay;
            }
        }
        if (decision instanceof RetryDecision.Retry) {
            LOG.warnf("%s: giving up after %d attempt(s) (%s)", what.get(), number, describe(item, failure));
        }
        return null;
    }

    /** One attempt in callback form: started, it reports its outcome once to {@code done}; answers what cancels it. */
    @FunctionalInterface
    public interface Attempt<T> {
        Runnable start(int number, BiConsumer<T, Throwable> done);
    }

    /**
     * As {@link #call(Supplier, Classifier, RetryPolicy, Supplier, String)}, without a {@code Uni} per
     * attempt (a bridge record's requests): the same decisions, waits (timers on Mutiny's scheduler),
     * counts and log lines; {@code done} gets the last outcome, item or failure.
     *
     * @return what cancels the attempt in flight or the wait, after which {@code done} is not called
     */
    public static <T> Runnable call(Attempt<T> attempt, Classifier<T> classifier, RetryPolicy policy,
            Supplier<String> what, String kind, BiConsumer<T, Throwable> done) {
        Loop<T> loop = new Loop<>(attempt, classifier, policy, what, kind, done);
        loop.attempt(1);
        return loop::cancel;
    }

    private static final class Loop<T> {

        private final Attempt<T> attempt;
        private final Classifier<T> classifier;
        private final RetryPolicy policy;
        private final Supplier<String> what;
        private final String kind;
        private final BiConsumer<T, Throwable> done;
        private final long deadline;
        private volatile boolean cancelled;
        private volatile Runnable current = () -> { };

        private Loop(Attempt<T> attempt, Classifier<T> classifier, RetryPolicy policy, Supplier<String> what,
                String kind, BiConsumer<T, Throwable> done) {
            this.attempt = Objects.requireNonNull(attempt, "attempt");
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            this.policy = Objects.requireNonNull(policy, "policy");
            this.what = what;
            this.kind = Objects.requireNonNull(kind, "kind");
            this.done = done;
            this.deadline = System.nanoTime() + policy.maxDuration().toNanos();
        }

        void attempt(int number) {
            if (cancelled) {
                return;
            }
            Runnable cancel;
            try {
                cancel = attempt.start(number, (item, failure) -> ended(number, item, failure));
            } catch (RuntimeException e) { // as Uni.createFrom().deferred: a thrown error is the attempt's failure
                ended(number, null, e);
                return;
            }
            current = cancel == null ? () -> { } : cancel;
        }

        private void ended(int number, T item, Throwable failure) {
            if (cancelled) {
                return;
            }
            Duration delay;
            try {
                delay = nextWait(classifier.classify(item, failure), item, failure, policy, what, kind, number,
                        deadline);
            } catch (RuntimeException fault) { // as in a Uni: the loop ends with it rather than never
                done.accept(null, fault);
                return;
            }
            if (delay == null) {
                done.accept(item, failure);
                return;
            }
            ScheduledFuture<?> wait = Infrastructure.getDefaultWorkerPool().schedule(() -> attempt(number + 1),
                    delay.toMillis(), TimeUnit.MILLISECONDS);
            current = () -> wait.cancel(false);
        }

        void cancel() {
            cancelled = true;
            current.run();
        }
    }

    private static String describe(Object item, Throwable failure) {
        if (failure != null) {
            return failure.getClass().getSimpleName();
        }
        return item instanceof Describable d ? d.describe() : "unsuccessful answer";
    }

    /** An outcome that can name itself safely in a log line (a status code, never a body or a header). */
    public interface Describable {
        String describe();
    }
}
