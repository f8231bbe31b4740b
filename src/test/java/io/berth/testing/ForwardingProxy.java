package io.berth.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;

/**
 * A forwarding HTTP proxy on 127.0.0.1: tunnels {@code CONNECT host:port} (https) and forwards
 * absolute-URI requests (http), and remembers what passed through, as {@code CONNECT 127.0.0.1:8443}
 * or {@code GET http://127.0.0.1:8080/path}, with the {@code Proxy-Authorization} header it got.
 */
public final class ForwardingProxy implements AutoCloseable {

    /** One request the proxy handled. */
    public record Passed(String line, String proxyAuthorization) {
    }

    private final HttpServer server;
    private final NetClient tunnels;
    private final HttpClient forwards;
    private final List<Passed> passed = new CopyOnWriteArrayList<>();

    private ForwardingProxy(Vertx vertx) throws Exception {
        tunnels = vertx.createNetClient();
        forwards = vertx.createHttpClient();
        server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static ForwardingProxy start(Vertx vertx) throws Exception {
        return new ForwardingProxy(vertx);
    }

    public int port() {
        return server.actualPort();
    }

    public List<Passed> passed() {
        return List.copyOf(passed);
    }

    public void forget() {
        passed.clear();
    }

    private void handle(HttpServerRequest request) {
        String authorization = request.getHeader("Proxy-Authorization");
        if (request.method() == HttpMethod.CONNECT) {
            String target = request.uri();
            passed.add(new Passed("CONNECT " + target, authorization));
            int colon = target.lastIndexOf(':');
            request.pause();
            tunnels.connect(Integer.parseInt(target.substring(colon + 1)), target.substring(0, colon))
                    .onFailure(failure -> request.response().setStatusCode(502).end())
                    .onSuccess(upstream -> request.toNetSocket().onSuccess(downstream -> {
                        downstream.pipeTo(upstream);
                        upstream.pipeTo(downstream);
                    }));
            return;
        }
        passed.add(new Passed(request.method() + " " + request.uri(), authorization));
        request.body().onSuccess(body -> {
            RequestOptions options = new RequestOptions().setMethod(request.method()).setAbsoluteURI(request.uri());
            request.headers().forEach(header -> {
                if (!header.getKey().toLowerCase().startsWith("proxy-")) {
                    options.addHeader(header.getKey(), header.getValue());
                }
            });
            forwards.request(options).compose(out -> out.send(body)).onComplete(answer -> {
                if (answer.failed()) {
                    request.response().setStatusCode(502).end();
                    return;
                }
                answer.result().body().onSuccess(answerBody -> {
                    request.response().setStatusCode(answer.result().statusCode());
                    answer.result().headers().forEach(h -> {
                        String name = h.getKey().toLowerCase();
                        if (!name.equals("transfer-encoding") && !name.equals("connection")
                                && !name.equals("content-length")) {
                            request.response().putHeader(h.getKey(), h.getValue());
                        }
                    });
                    request.response().end(answerBody);
                });
            });
        });
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tunnels.close();
        forwards.close();
    }
}
