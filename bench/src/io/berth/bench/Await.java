package io.berth.bench;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/** Blocks the harness's own thread on Vert.x (never called on an event loop). */
final class Await {

    private Await() {
    }

    static <T> T on(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Vert.x operation failed", e);
        }
    }

    /** An HTTP server on a free loopback port, listening when this returns. */
    static HttpServer serve(Vertx vertx, Handler<HttpServerRequest> handler) {
        HttpServer server = vertx.createHttpServer().requestHandler(handler);
        on(server.listen(0, "127.0.0.1"));
        return server;
    }
}
