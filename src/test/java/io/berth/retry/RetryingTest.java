package io.berth.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One retry loop, in two forms: a {@code Uni} of attempts and a callback loop (a bridge record's
 * requests). Both retry what the classifier says, wait at least the server's hint, stop at the
 * policy's attempts and hand back the last outcome as it was, and stop on cancellation.
 */
class RetryingTest {

    static final RetryPolicy THREE_QUICK = new RetryPolicy(Duration.ofMillis(5), 1.0, 0.0, Duration.ofMillis(5), 3,
            Duration.ofSeconds(10));
    static final Retrying.Classifier<String> RETRY_BUSY = (item, failure) -> failure != null || "busy".equals(item)
            ? RetryDecision.RETRY : RetryDecision.DONE;

    @Test
    void aUniCallIsRetriedUntilItsOutcomeIsFinal() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> call = Retrying.call(() -> Uni.createFrom().item(attempts.incrementAndGet() < 3 ? "busy" : "done"),
                RETRY_BUSY, THREE_QUICK, "test call", "test");

        assertThat(call.await().atMost(Duration.ofSeconds(5))).isEqualTo("done");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void whenTheAttemptsRunOutTheLastOutcomeIsHandedBackAsItWas() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> busy = Retrying.call(() -> Uni.createFrom().item("busy").invoke(attempts::incrementAndGet),
                RETRY_BUSY, THREE_QUICK, "test call", "test");
        assertThat(busy.await().atMost(Duration.ofSeconds(5))).isEqualTo("busy");
        assertThat(attempts).hasValue(3);

        Uni<String> failing = Retrying.call(() -> Uni.createFrom().failure(new IllegalStateException("down")),
                RETRY_BUSY, THREE_QUICK, "test call", "test");
        assertThatThrownBy(() -> failing.await().atMost(Duration.ofSeconds(5))).hasMessage("down");
    }

    @Test
    void aServersHintLongerThanTheBackoffIsWaitedOut() {
        AtomicInteger attempts = new AtomicInteger();
        Retrying.Classifier<String> hinted = (item, failure) -> "busy".equals(item)
                ? RetryDecision.retryAfter(Duration.ofMillis(300)) : RetryDecision.DONE;
        long started = System.nanoTime();
        String answer = Retrying.call(() -> Uni.createFrom().item(attempts.incrementAndGet() == 1 ? "busy" : "done"),
                hinted, THREE_QUICK, "test call", "test").await().atMost(Duration.ofSeconds(5));

        assertThat(answer).isEqualTo("done");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void cancellingTheAnswerStopsTheWaitAndNoFurtherAttemptStarts() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy slow = new RetryPolicy(Duration.ofMillis(200), 1.0, 0.0, Duration.ofMillis(200), 5,
                Duration.ofSeconds(10));
        Cancellable subscription = Retrying.call(() -> Uni.createFrom().item("busy").invoke(attempts::incrementAndGet),
                RETRY_BUSY, slow, "test call", "test").subscribe().with(item -> { });

        subscription.cancel();
        Thread.sleep(600);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theCallbackLoopMakesTheSameDecisionsAndAnswersOnce() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicInteger answers = new AtomicInteger();
        Retrying.call((number, done) -> {
            attempts.incrementAndGet();
            done.accept(number < 3 ? "busy" : "done", null);
            return () -> { };
        }, RETRY_BUSY, THREE_QUICK, () -> "test call", "test", (item, failure) -> {
            answers.incrementAndGet();
            answer.complete(item);
        });

        assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(attempts).hasValue(3);
        Thread.sleep(50);
        assertThat(answers).hasValue(1);
    }
}
