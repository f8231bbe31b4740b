package io.berth.runs.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.berth.runs.DeadLetters;
import io.berth.runs.InboundRecord;
import io.berth.runs.RunDispatcher;
import io.smallrye.mutiny.Uni;

/** A record the pipeline fails to take still ends: dead-lettered and committed, never left hanging. */
class RunsChannelTest {

    final List<String> deadLetterReasons = new CopyOnWriteArrayList<>();
    final AtomicInteger acks = new AtomicInteger();
    final InboundRecord record = new InboundRecord("org_test.runs", 0, 7, null,
            "{}".getBytes(StandardCharsets.UTF_8), () -> {
                acks.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            });

    @Test
    void deadLettersAndCommitsARecordTheDispatcherFailedOn() {
        RunsChannel channel = new RunsChannel(dispatcher(Uni.createFrom().failure(new IllegalStateException("bug"))),
                storing());

        channel.take(record).await().atMost(Duration.ofSeconds(5));

        assertThat(deadLetterReasons).containsExactly("unexpected failure: java.lang.IllegalStateException");
        assertThat(acks).hasValue(1);
    }

    @Test
    void commitsTheRecordEvenWhenItsDeadLetterIsRefused() {
        RunsChannel channel = new RunsChannel(dispatcher(null), (record, reason) -> Uni.createFrom()
                .failure(new IllegalStateException("dead-letter topic closed")));

        channel.take(record).await().atMost(Duration.ofSeconds(5));

        assertThat(acks).hasValue(1);
    }

    @Test
    void leavesARecordTheDispatcherTookToItsOutcome() {
        RunsChannel channel = new RunsChannel(dispatcher(Uni.createFrom().voidItem()), storing());

        channel.take(record).await().atMost(Duration.ofSeconds(5));

        assertThat(deadLetterReasons).isEmpty();
        assertThat(acks).hasValue(0);
    }

    /** A dispatcher answering {@code answer}; null: one that throws instead of answering. */
    private static RunDispatcher dispatcher(Uni<Void> answer) {
        return new RunDispatcher() {
            @Override
            public Uni<Void> dispatch(InboundRecord record) {
                if (answer == null) {
                    throw new NullPointerException("bug");
                }
                return answer;
            }

            @Override
            public void drain() {
            }
        };
    }

    private DeadLetters storing() {
        return (record, reason) -> {
            deadLetterReasons.add(reason);
            return Uni.createFrom().voidItem();
        };
    }
}
