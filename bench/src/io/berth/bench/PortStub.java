package io.berth.bench;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A lean Port stand-in for load: the calls Berth makes for a webhook run, with Port's token rules
 * (bearer checked, tokens expire after {@link #tokenLifetimeSeconds}) and a configurable latency,
 * on Vert.x. Keeps no per-run history (the test suite's WireMock {@code PortStandIn} records every
 * request, which a ten-minute run cannot afford); it only counts calls and announces terminal
 * statuses to a {@link TerminalListener}.
 *
 * <pre>
 *  POST /v1/auth/access_token ─► new token (counted)
 *  any other call ─► bearer valid? ─► 401 | after `delay` ms: 2xx
 *     PATCH /v1/actions/runs/{id} with status ─► listener.terminal(id, status, nanoTime)
 * </pre>
 */
final class PortStub implements AutoCloseable {

    static final String CLIENT_ID = "bench-client";
    static final String CLIENT_SECRET = "bench-secret-0123456789abcdef0123456789abcdef";

    interface TerminalListener {
        void terminal(String runId, String status, long nanoTime);
    }

    private static final Pattern RUN = Pattern.compile("/v1/actions/runs/([^/?]+)");
    private static final Pattern ABOUT_RUN = Pattern.compile("/v1/actions/runs/([^/?]+)(/[a-z]+)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Vertx vertx;
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final AtomicLong tokenSeq = new AtomicLong();
    final LongAdder tokenCalls = new LongAdder();
    final LongAdder calls = new LongAdder();
    final LongAdder unauthorized = new LongAdder();
    private volatile long delayMs;
    private volatile long tokenLifetimeSeconds = 10_800;
    private volatile TerminalListener listener = (id, status, at) -> { };
    /** Each run's calls ({@code "PATCH"}, {@code "POST /logs"}, ...) while {@link #recordCalls} is on; off under load. */
    private volatile Map<String, Queue<String>> callsByRun;
    /** Runs whose first call is awaited (start-up timelines): completed with the call's nanoTime. */
    private final Map<String, CompletableFuture<Long>> firstCalls = new ConcurrentHashMap<>();

    private PortStub(Vertx vertx) {
        this.vertx = vertx;
        this.server = Await.serve(vertx, this::handle);
    }

    static PortStub start(Vertx vertx) {
        return new PortStub(vertx);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    int port() {
        return server.actualPort();
    }

    void delayMs(long ms) {
        this.delayMs = ms;
    }

    void tokenLifetimeSeconds(long seconds) {
        this.tokenLifetimeSeconds = seconds;
    }

    void listener(TerminalListener listener) {
        this.listener = listener;
    }

    /** From now on, keeps each run's calls (for a few runs only: {@link RunShapes}); null stops. */
    void recordCalls(Map<String, Queue<String>> into) {
        this.callsByRun = into;
    }

    /** Completes with the nanoTime of the first call about {@code runId} (its "picked up" log, for Berth). */
    CompletableFuture<Long> firstCallAbout(String runId) {
        return firstCalls.computeIfAbsent(runId, id -> new CompletableFuture<>());
    }

    /** A valid token for the raw HTTP ceiling measurement (not counted as a token call). */
    String issueTokenDirectly() {
        String token = "t" + tokenSeq.incrementAndGet();
        tokens.put(token, System.currentTimeMillis() + tokenLifetimeSeconds * 1000);
        return token;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String path = request.path();
            if (path.equals("/v1/auth/access_token")) {
                tokenCalls.increment();
                JsonNode grant = parse(body.getBytes());
                if (grant == null || !CLIENT_ID.equals(grant.path("clientId").asText())
                        || !CLIENT_SECRET.equals(grant.path("clientSecret").asText())) {
                    answer(request, 401, "{\"ok\":false,\"error\":\"invalid_credentials\"}");
                    return;
                }
                answer(request, 200, "{\"ok\":true,\"accessToken\":\"" + issueTokenDirectly() + "\",\"expiresIn\":"
                        + tokenLifetimeSeconds + ",\"tokenType\":\"Bearer\"}");
                return;
            }
            calls.increment();
            if (!firstCalls.isEmpty()) {
                Matcher watched = ABOUT_RUN.matcher(path);
                CompletableFuture<Long> first = watched.matches() ? firstCalls.remove(watched.group(1)) : null;
                if (first != null) {
                    first.complete(System.nanoTime());
                }
            }
            Map<String, Queue<String>> recording = callsByRun;
            if (recording != null) {
                Matcher about = ABOUT_RUN.matcher(path);
                if (about.matches()) {
                    recording.computeIfAbsent(about.group(1), id -> new ConcurrentLinkedQueue<>())
                            .add(request.method().name() + (about.group(2) == null ? "" : " " + about.group(2)));
                }
            }
            String auth = request.getHeader("Authorization");
            Long expires = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
            if (expires == null || expires < System.currentTimeMillis()) {
                unauthorized.increment();
                answer(request, 401, "{\"ok\":false,\"error\":\"unauthorized\"}");
                return;
            }
            Matcher run = RUN.matcher(path);
            String method = request.method().name();
            if (run.matches() && method.equals("PATCH")) {
                JsonNode patch = parse(body.getBytes());
                String status = patch == null ? null : patch.path("status").asText(null);
                if (status != null) {
                    listener.terminal(run.group(1), status, System.nanoTime());
                }
                later(request, 200, "{\"ok\":true,\"run\":{\"id\":\"" + run.group(1) + "\",\"status\":\""
                        + (status == null ? "IN_PROGRESS" : status) + "\"}}");
            } else if (run.matches() && method.equals("GET")) {
                later(request, 200, "{\"ok\":true,\"run\":{\"id\":\"" + run.group(1) + "\",\"status\":\"IN_PROGRESS\"}}");
            } else if (path.endsWith("/logs") && method.equals("POST")) {
                later(request, 201, "{\"ok\":true,\"runLog\":{}}");
            } else if (path.endsWith("/response") && method.equals("PATCH")) {
                later(request, 200, "{\"ok\":true}");
            } else {
                later(request, 404, "{\"ok\":false,\"error\":\"not_found\"}");
            }
        });
    }

    private void later(HttpServerRequest request, int status, String body) {
        long delay = delayMs;
        if (delay <= 0) {
            answer(request, status, body);
        } else {
            vertx.setTimer(delay, id -> answer(request, status, body));
        }
    }

    private static void answer(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Trace-Id", "bench")
                .end(body);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        Await.on(server.close());
    }
}
