package io.berth.bridge.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The request/response calls of this instance that wait for their reply, by correlation id:
 * bounded (a call beyond {@code max} is refused), each ended by its reply, its timeout or its
 * caller leaving, and then forgotten.
 */
final class PendingReplies {

    /** A reply read from a response topic. */
    record Reply(int status, String contentType, byte[] body) {
    }

    /** The call's timeout passed before its reply came. */
    static final class ReplyTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplyTimeout() {
            super("no reply in time", null, false, false);
        }
    }

    private record Waiting(Context context, Promise<Reply> promise, long timer) {
    }

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;

    PendingReplies(int max) {
        this.max = max;
    }

    /**
     * Waits for the reply of {@code id} on {@code context} (the caller's), failing with
     * {@link ReplyTimeout} after {@code timeout}; empty when {@code max} calls wait already.
     */
    Optional<Future<Reply>> expect(String id, Context context, Duration timeout) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return Optional.empty();
        }
        Promise<Reply> promise = Promise.promise();
        // Waiting before the timer exists: a reply may come at once, from the reader's thread.
        waiting.put(id, new Waiting(context, promise, -1));
        long timer = context.owner().setTimer(Math.max(1, timeout.toMillis()), fired -> {
            if (remove(id) != null) {
                context.runOnContext(ignored -> promise.tryFail(new ReplyTimeout()));
            }
        });
        if (waiting.replace(id, new Waiting(context, promise, timer)) == null) {
            context.owner().cancelTimer(timer); // already answered
        }
        return Optional.of(promise.future());
    }

    /** Ends the call of {@code id} with {@code reply}; a reply nobody here waits for is ignored. */
    void complete(String id, Reply reply) {
        Waiting call = remove(id);
        if (call != null) {
            call.context().owner().cancelTimer(call.timer());
            call.context().runOnContext(ignored -> call.promise().tryComplete(reply));
        }
    }

    /** The caller left, or its request could not be published: nothing waits for {@code id} any more. */
    void forget(String id) {
        Waiting call = remove(id);
        if (call != null) {
            call.context().owner().cancelTimer(call.timer());
        }
    }

    int size() {
        return count.get();
    }

    private Waiting remove(String id) {
        Waiting call = waiting.remove(id);
        if (call != null) {
            count.decrementAndGet();
        }
        return call;
    }
}
