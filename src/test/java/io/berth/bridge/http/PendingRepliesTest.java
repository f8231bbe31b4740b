package io.berth.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.berth.bridge.http.PendingReplies.Reply;
import io.berth.bridge.http.PendingReplies.ReplyTimeout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Request/response calls waiting for their reply: bounded, timed out, and forgotten. */
class PendingRepliesTest {

    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aReplyEndsItsCallAndFreesItsPlace() throws Exception {
        PendingReplies pending = new PendingReplies(1);
        Future<Reply> call = onEventLoop(context -> pending.expect("a", context, Duration.ofSeconds(10))).orElseThrow();

        pending.complete("a", new Reply(201, "text/plain", "done".getBytes()));

        assertThat(call.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(pending.size()).isZero();
    }

    @Test
    void refusesACallBeyondTheBoundUntilOneEnds() throws Exception {
        PendingReplies pending = new PendingReplies(2);
        onEventLoop(context -> pending.expect("a", context, Duration.ofSeconds(10)));
        onEventLoop(context -> pending.expect("b", context, Duration.ofSeconds(10)));

        Optional<Future<Reply>> third = onEventLoop(context -> pending.expect("c", context, Duration.ofSeconds(10)));
        assertThat(third).isEmpty();
        pending.forget("a");
        Optional<Future<Reply>> again = onEventLoop(context -> pending.expect("c", context, Duration.ofSeconds(10)));
        assertThat(again).isPresent();
    }

    @Test
    void aCallWithoutReplyTimesOutAndIsForgotten() throws Exception {
        PendingReplies pending = new PendingReplies(10);
        Future<Reply> call = onEventLoop(context -> pending.expect("late", context, Duration.ofMillis(100))).orElseThrow();

        Throwable failure = call.toCompletionStage().toCompletableFuture().handle((reply, error) -> error)
                .get(5, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(ReplyTimeout.class);
        assertThat(pending.size()).isZero();
        pending.complete("late", new Reply(200, null, new byte[0])); // a reply after the timeout is ignored
        assertThat(pending.size()).isZero();
    }

    @Test
    void aReplyNobodyWaitsForIsIgnored() {
        PendingReplies pending = new PendingReplies(10);
        pending.complete("unknown", new Reply(200, null, new byte[0]));
        assertThat(pending.size()).isZero();
    }

    /** Runs {@code call} on an event-loop context, as the routes do. */
    private <T> T onEventLoop(java.util.function.Function<Context, T> call) throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> result.complete(call.apply(context)));
        return result.get(5, TimeUnit.SECONDS);
    }
}
