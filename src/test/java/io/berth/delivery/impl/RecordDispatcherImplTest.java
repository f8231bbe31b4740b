package io.berth.delivery.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordHandler;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.delivery.UnusableRecord;
import io.smallrye.mutiny.Uni;

/** The delivery core, as every capability relies on it. */
class RecordDispatcherImplTest {

    private final Map<Long, String> deadLetterReasons = new ConcurrentHashMap<>();
    private final List<String> announced = new CopyOnWriteArrayList<>();
    private final DeadLetters deadLetters = (record, reason) -> {
        deadLetterReasons.put(record.offset(), reason);
        return Uni.createFrom().voidItem();
    };

    private RecordDispatcher dispatcher(RecordHandler handler, int concurrency) {
        return RecordDispatcherImpl.builder("test records")
                .handler(handler)
                .deadLetters(deadLetters)
                .listeners(List.of((record, outcome) -> announced.add(record.offset() + ":" + outcome.label())))
                .concurrency(concurrency)
                .shutdownGrace(Duration.ofMillis(200))
                .build();
    }

    private static InboundRecord record(long offset) {
        return new InboundRecord("t", 0, offset, null, new byte[] {'{', '}'}, () -> CompletableFuture.completedFuture(null));
    }

    private record Delivered() implements RecordOutcome {
        @Override
        public String label() {
            return "delivered";
        }
    }

    @Test
    void announcesTheHandlersOutcomeOnce() {
        dispatcher(record -> Uni.createFrom().item(new Delivered()), 4).dispatch(record(1)).await().indefinitely();

        assertThat(announced).containsExactly("1:delivered");
        assertThat(deadLetterReasons).isEmpty();
    }

    @Test
    void deadLettersAnUnusableRecordWithTheHandlersReason() {
        dispatcher(record -> Uni.createFrom().failure(new UnusableRecord("no run id")), 4)
                .dispatch(record(2)).await().indefinitely();

        assertThat(deadLetterReasons).containsEntry(2L, "no run id");
        assertThat(announced).containsExactly("2:dead_lettered");
    }

    @Test
    void deadLettersAnUnexpectedFailureWithItsClassSoTheRecordIsStillCommitted() {
        RecordHandler broken = record -> {
            throw new IllegalStateException("a bug, with a message that might quote the record");
        };
        dispatcher(broken, 4).dispatch(record(3)).await().indefinitely();

        assertThat(deadLetterReasons).containsEntry(3L, "unexpected failure: java.lang.IllegalStateException");
        assertThat(announced).containsExactly("3:dead_lettered");
    }

    @Test
    void leavesARecordUncommittedAndTellsTheListenersWhenHandlingItRanOutOfMemory() {
        List<Long> outOfMemory = new CopyOnWriteArrayList<>();
        RecordDispatcher dispatcher = RecordDispatcherImpl.builder("test records")
                .handler(record -> Uni.createFrom().failure(new OutOfMemoryError("Java heap space")))
                .deadLetters(deadLetters)
                .listeners(List.of(new RecordOutcomeListener() {
                    @Override
                    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
                        announced.add(record.offset() + ":" + outcome.label() + ":" + outcome.committable());
                    }

                    @Override
                    public void onOutOfMemory(InboundRecord record, OutOfMemoryError error) {
                        outOfMemory.add(record.offset());
                    }
                }))
                .build();

        dispatcher.dispatch(record(4)).await().indefinitely();

        assertThat(outOfMemory).containsExactly(4L);
        assertThat(announced).containsExactly("4:abandoned:false");
        assertThat(deadLetterReasons).isEmpty();
    }

    @Test
    void holdsTheSourceBackWhileEveryPermitIsInUse() {
        CompletableFuture<RecordOutcome> first = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        RecordDispatcher dispatcher = dispatcher(record -> {
            started.incrementAndGet();
            return record.offset() == 1 ? Uni.createFrom().completionStage(first) : Uni.createFrom().item(new Delivered());
        }, 1);

        dispatcher.dispatch(record(1)).await().indefinitely();
        CompletableFuture<Void> second = dispatcher.dispatch(record(2)).subscribeAsCompletionStage();

        assertThat(second).isNotDone();
        assertThat(started).hasValue(1);
        first.complete(new Delivered());
        second.join();
        assertThat(announced).containsExactly("1:delivered", "2:delivered");
    }

    @Test
    void takesNoRecordOnceDraining() {
        AtomicInteger handled = new AtomicInteger();
        RecordDispatcher dispatcher = dispatcher(record -> {
            handled.incrementAndGet();
            return Uni.createFrom().item(new Delivered());
        }, 2);

        dispatcher.drain();
        dispatcher.dispatch(record(5)).await().indefinitely();

        assertThat(handled).hasValue(0);
        assertThat(announced).isEmpty();
    }
}
