package io.berth.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.subscription.Cancellable;

class DirectUniTest {

    @Test
    void theFirstOfItemAndFailureIsTheAnswerAndLaterOnesAreIgnored() {
        AtomicReference<DirectUni.Completion<String>> work = new AtomicReference<>();
        CompletableFuture<String> answer = DirectUni.<String>of(completion -> {
            work.set(completion);
            return null;
        }).subscribeAsCompletionStage();

        work.get().complete("delivered");
        work.get().fail(new IllegalStateException("too late"));
        work.get().complete("again");

        assertThat(answer).isCompletedWithValue("delivered");
    }

    @Test
    void eachSubscriptionStartsTheWorkOnce() {
        AtomicInteger starts = new AtomicInteger();
        DirectUni<Integer> uni = DirectUni.of(completion -> {
            completion.complete(starts.incrementAndGet());
            return null;
        });

        assertThat(uni.await().indefinitely()).isEqualTo(1);
        assertThat(uni.await().indefinitely()).isEqualTo(2);
    }

    @Test
    void anErrorThrownByTheWorkFailsTheAnswer() {
        CompletableFuture<String> answer = DirectUni.<String>of(completion -> {
            throw new IllegalArgumentException("broken");
        }).subscribeAsCompletionStage();

        assertThat(answer).isCompletedExceptionally();
    }

    @Test
    void cancellingRunsTheWorksCancellationOnceAndNothingIsAnsweredAfter() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<DirectUni.Completion<String>> work = new AtomicReference<>();
        AtomicInteger cancelled = new AtomicInteger();
        Cancellable subscription = DirectUni.<String>of(completion -> {
            work.set(completion);
            return cancelled::incrementAndGet;
        }).subscribe().with(seen::add, failure -> seen.add("failed"));

        subscription.cancel();
        subscription.cancel();
        work.get().complete("late");

        assertThat(cancelled).hasValue(1);
        assertThat(seen).isEmpty();
    }
}
