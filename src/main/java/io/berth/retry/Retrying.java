package io.berth.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;

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
        return Uni.createFrom().deferred(() -> {
            long deadline = System.nanoTime() + policy.maxDuration().toNanos();
            return attempt(attempt, classifier, policy, what, kind, 1, deadline);
        });
    }

    private static <T> Uni<T> attempt(Supplier<Uni<T>> attempt, Classifier<T> classifier, RetryPolicy policy,
            Supplier<String> what, String kind, int number, long deadline) {
        return Uni.createFrom().<T>deferred(attempt::get)
                .onItemOrFailure().transformToUni((item, failure) -> {
                    RetryDecision decision = classifier.classify(item, failure);
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
                            return Uni.createFrom().voidItem()
                                    .onItem().delayIt().by(delay)
                                    .onItem().transformToUni(ignored -> attempt(attempt, classifier, policy, what,
                                            kind, number + 1, deadline));
                        }
                    }
                    if (decision instanceof RetryDecision.Retry) {
                        LOG.warnf("%s: giving up after %d attempt(s) (%s)", what.get(), number,
                                describe(item, failure));
                    }
                    return failure != null ? Uni.createFrom().failure(failure) : Uni.createFrom().item(item);
                });
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
