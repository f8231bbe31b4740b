package io.berth.bench;

import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/** The webhook's receiver: answers 200 with a small JSON body after {@code delay} ms, counts requests. */
final class Sink implements AutoCloseable {

    private final HttpServer server;
    private final Vertx vertx;
    final LongAdder requests = new LongAdder();
    private volatile long delayMs;

    private Sink(Vertx vertx) {
        this.vertx = vertx;
        this.server = Await.serve(vertx, this::handle);
    }

    static Sink start(Vertx vertx) {
        return new Sink(vertx);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hook";
    }

    int port() {
        return server.actualPort();
    }

    void delayMs(long ms) {
        this.delayMs = ms;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            requests.increment();
            long delay = delayMs;
            if (delay <= 0) {
                answer(request);
            } else {
                vertx.setTimer(delay, id -> answer(request));
            }
        });
    }

    private static void answer(HttpServerRequest request) {
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{\"deployed\":true}");
    }

    @Override
    public void close() {
        Await.on(server.close());
    }
}
