package io.berth.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Runs tasks with the same key one after another, in submission order, and tasks with different
 * keys concurrently. Each key's lane is the tail of a chain of futures; a lane disappears when its
 * last task ends, so memory holds only keys with work in flight.
 *
 * <pre>
 *  key A:  run1 ──► run3 ──► run4        (run3 starts when run1 ends, whatever its outcome)
 *  key B:  run2 ──► run5
 * </pre>
 */
public final class OrderedLanes {

    private static final CompletableFuture<Void> IDLE = CompletableFuture.completedFuture(null);

    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    /** Starts {@code task} once every task submitted earlier under {@code key} has ended. */
    public <T> Uni<T> submit(String key, Supplier<Uni<T>> task) {
        Turn turn = join(key);
        return Uni.createFrom().completionStage(turn.previous())
                .onItem().transformToUni(ignored -> Uni.createFrom().<T>deferred(task::get))
                .onTermination().invoke(turn.ended());
    }

    /**
     * As {@link #submit(String, Supplier)}, without a {@code Uni}: {@code turn} runs once every task
     * entered earlier under {@code key} has ended (at once, or on the thread that ended the last of
     * them), and is handed what it must run when its own task ends, exactly once, whatever its outcome.
     */
    public void enter(String key, Consumer<Runnable> turn) {
        Turn mine = join(key);
        if (mine.previous().isDone()) {
            turn.accept(mine.ended());
        } else {
            mine.previous().thenRun(() -> turn.accept(mine.ended()));
        }
    }

    /** Takes the tail of {@code key}'s lane: what to wait for, and what ends this turn. */
    private Turn join(String key) {
        CompletableFuture<Void> previous;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        synchronized (tails) {
            previous = tails.put(key, mine); // one lookup, not two
        }
        if (previous == null) {
            previous = IDLE;
        }
        return new Turn(previous, () -> {
            synchronized (tails) {
                tails.remove(key, mine);
            }
            mine.complete(null);
        });
    }

    private record Turn(CompletableFuture<Void> previous, Runnable ended) {
    }

    /**
     * As {@link #submit(String, Supplier)}, for a record's work: the record waits in its lane, where it
     * can be withdrawn ({@link InboundRecord#withdraw()}); withdrawn, its task never starts and the
     * answer fails with {@link RecordWithdrawn}.
     */
    public <T> Uni<T> submit(InboundRecord record, String key, Supplier<Uni<T>> task) {
        record.hold();
        return submit(key, () -> record.start() ? task.get() : Uni.createFrom().failure(new RecordWithdrawn(record)));
    }

    public int activeKeys() {
        synchronized (tails) {
            return tails.size();
        }
    }
}
