package io.berth.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class OrderedLanesTest {

    private final OrderedLanes lanes = new OrderedLanes();
    private final List<String> started = new CopyOnWriteArrayList<>();

    private Uni<String> task(String name, CompletableFuture<String> end) {
        return lanes.submit(name.substring(0, 1), () -> {
            started.add(name);
            return Uni.createFrom().completionStage(end);
        });
    }

    @Test
    void runsTasksOfOneKeyInOrderAndOtherKeysAlongside() {
        CompletableFuture<String> a1 = new CompletableFuture<>();
        CompletableFuture<String> a2 = new CompletableFuture<>();
        CompletableFuture<String> b1 = new CompletableFuture<>();
        CompletableFuture<String> firstA = task("a1", a1).subscribeAsCompletionStage();
        CompletableFuture<String> secondA = task("a2", a2).subscribeAsCompletionStage();
        task("b1", b1).subscribeAsCompletionStage();

        assertThat(started).containsExactly("a1", "b1");
        a1.complete("done");
        assertThat(firstA).isCompletedWithValue("done");
        assertThat(started).containsExactly("a1", "b1", "a2");
        a2.complete("done");
        b1.complete("done");
        assertThat(secondA).isCompletedWithValue("done");
        assertThat(lanes.activeKeys()).isZero();
    }

    @Test
    void aFailedTaskDoesNotBlockItsLane() {
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> next = new CompletableFuture<>();
        task("a1", failing).subscribeAsCompletionStage();
        task("a2", next).subscribeAsCompletionStage();

        failing.completeExceptionally(new IllegalStateException("handler broke"));

        assertThat(started).containsExactly("a1", "a2");
    }

    @Test
    void anEnteredTurnWaitsUntilTheEarlierTurnOfItsKeyHasEnded() {
        List<Runnable> ends = new CopyOnWriteArrayList<>();
        lanes.enter("a", ended -> {
            started.add("a1");
            ends.add(ended);
        });
        lanes.enter("a", ended -> {
            started.add("a2");
            ends.add(ended);
        });
        lanes.enter("b", ended -> {
            started.add("b1");
            ends.add(ended);
        });

        assertThat(started).containsExactly("a1", "b1");
        ends.get(0).run();
        assertThat(started).containsExactly("a1", "b1", "a2");
        ends.get(1).run();
        ends.get(2).run();
        assertThat(lanes.activeKeys()).isZero();
    }
}
