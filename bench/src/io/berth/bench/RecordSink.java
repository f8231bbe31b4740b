package io.berth.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The bridge's webhook: answers 200 at once and tells, from the sequence number in each delivered
 * value ({@code "seq":N}), which records arrived, how many twice, and when. One server per event loop
 * on one port, so that the sink is not the bottleneck of a bridge with many requests in flight.
 *
 * <p>A body may hold several records (a batch, whatever its framing): every {@code "seq":} in it counts.
 */
final class RecordSink implements AutoCloseable {

    private static final byte[] MARK = "\"seq\":".getBytes();

    private final HttpServer[] servers;
    final LongAdder requests = new LongAdder();
    private volatile Tally tally;

    /** Deliveries of one scenario: sequence numbers 0 … expected-1. */
    static final class Tally {
        final int expected;
        final AtomicIntegerArray seen;
        final LongAdder distinct = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder outOfRange = new LongAdder();
        final AtomicLong firstNanos = new AtomicLong();
        final AtomicLong lastNanos = new AtomicLong();
        /** When the first half of the expected records had arrived (nanoTime; 0 until then). */
        volatile long halfNanos;
        private final AtomicInteger arrived = new AtomicInteger();
        volatile int watched = -1;
        volatile CompletableFuture<Long> watchedArrival = new CompletableFuture<>();

        Tally(int expected) {
            this.expected = expected;
            this.seen = new AtomicIntegerArray(expected);
        }

        void delivered(int seq, long now) {
            if (seq < 0 || seq >= expected) {
                outOfRange.increment();
                return;
            }
            if (seen.incrementAndGet(seq) > 1) {
                duplicates.increment();
                return;
            }
            distinct.increment();
            if (arrived.incrementAndGet() == expected / 2) {
                halfNanos = now;
            }
            firstNanos.compareAndSet(0, now);
            lastNanos.accumulateAndGet(now, Math::max);
            if (seq == watched) {
                watchedArrival.complete(now);
            }
        }

        /** The arrival time (nanoTime) of {@code seq}, completed when it is first delivered. */
        CompletableFuture<Long> watch(int seq) {
            watchedArrival = new CompletableFuture<>();
            watched = seq;
            if (seen.get(seq) > 0) {
                watchedArrival.complete(System.nanoTime());
            }
            return watchedArrival;
        }

        /**
         * Records/s over the second half of the records, once the first half had arrived: the peer warmer
         * (its JIT done with the hot paths); NaN when fewer than all arrived.
         */
        double secondHalfPerSecond() {
            long half = halfNanos;
            long last = lastNanos.get();
            long count = distinct.sum() - expected / 2;
            return half == 0 || last <= half || distinct.sum() < expected ? Double.NaN : count / ((last - half) / 1e9);
        }

        long lost() {
            return expected - distinct.sum();
        }
    }

    private RecordSink(Vertx vertx, int eventLoops) {
        servers = new HttpServer[eventLoops];
        int port = BridgePeer.freePort();
        for (int i = 0; i < eventLoops; i++) {
            // Same host and port in one Vert.x: connections are spread over the servers' event loops.
            servers[i] = vertx.createHttpServer().requestHandler(this::handle);
            Await.on(servers[i].listen(port, "127.0.0.1"));
        }
    }

    static RecordSink start(Vertx vertx, int eventLoops) {
        return new RecordSink(vertx, eventLoops);
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/records";
    }

    int port() {
        return servers[0].actualPort();
    }

    /** From now on, count sequences 0 … expected-1; {@code null} for a capacity run (nothing counted). */
    Tally expect(int expected) {
        Tally next = expected > 0 ? new Tally(expected) : null;
        tally = next;
        return next;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            requests.increment();
            Tally current = tally;
            if (current != null) {
                long now = System.nanoTime();
                scan(body, current, now);
            }
            request.response().setStatusCode(200).end();
        });
    }

    private static void scan(Buffer body, Tally into, long now) {
        byte[] bytes = body.getBytes();
        for (int i = indexOf(bytes, 0); i >= 0; i = indexOf(bytes, i)) {
            int seq = 0;
            int digits = 0;
            while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9') {
                seq = seq * 10 + (bytes[i++] - '0');
                digits++;
            }
            into.delivered(digits == 0 ? -1 : seq, now);
        }
    }

    /** The index just after the next {@code "seq":} at or after {@code from}, or -1. */
    private static int indexOf(byte[] bytes, int from) {
        outer:
        for (int i = from; i <= bytes.length - MARK.length; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (bytes[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            return i + MARK.length;
        }
        return -1;
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            Await.on(server.close());
        }
    }
}
