package io.berth.port.impl;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.BerthSettings;
import io.berth.config.PortSettings;
import io.berth.config.Secret;
import io.berth.outbound.Outbound;
import io.berth.port.KafkaCredentials;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.berth.port.TokenObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.berth.retry.RetryDecision;
import io.berth.retry.RetryPolicy;
import io.berth.retry.RetryRules;
import io.berth.retry.Retrying;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

/**
 * {@link PortClient} over Port's REST API: the declarative {@link PortApi}, a shared
 * {@link AccessTokens} cache, and the retry rules of {@link RetryRules#forPort}.
 *
 * <pre>
 *  call ──► Retrying (429/502/503/504/no answer; Retry-After, x-ratelimit-reset)
 *             └─► attempt: token ──► request ──► 401? ──► invalidate token, new token, request once more
 * </pre>
 */
@ApplicationScoped
final class RestPortClient implements PortClient {

    private static final Logger LOG = Logger.getLogger(RestPortClient.class);

    /** port-agent's {@code installationId} for the runs of the organisation's own execution agent. */
    static final String POLLING_INSTALLATION = "_PORT_EXEC_AGENT";

    /** A claim is not retried here: the poller backs off and claims again (port-agent's rhythm). */
    private static final RetryPolicy ONE_ATTEMPT = new RetryPolicy(Duration.ofMillis(1), 1, 0, Duration.ofMillis(1), 1,
            Duration.ofMinutes(1));

    private final PortApi api;
    private final AccessTokens tokens;
    private final RetryPolicy retryPolicy;

    @Inject
    RestPortClient(PortSettings port, BerthSettings berth, Outbound outbound, MeterRegistry registry,
            TokenObserver tokenObserver) {
        this(buildApi(port.apiBaseUrl(), berth.port().timeout(), berth.runs().concurrency(), outbound,
                new PortCallMetrics(registry)), port, berth, Clock.systemUTC(), tokenObserver);
    }

    RestPortClient(PortApi api, PortSettings port, BerthSettings berth, Clock clock) {
        this(api, port, berth, clock, TokenObserver.NONE);
    }

    RestPortClient(PortApi api, PortSettings port, BerthSettings berth, Clock clock, TokenObserver tokenObserver) {
        this.api = Objects.requireNonNull(api, "api");
        String clientId = port.clientId().orElse("");
        Secret secret = port.clientSecret().orElse(Secret.of(""));
        this.retryPolicy = RetryPolicy.of(berth.port().retry());
        this.tokens = new AccessTokens(() -> fetchToken(clientId, secret), berth.port().tokenRefreshMargin(), clock,
                tokenObserver);
    }

    /**
     * @param connections one per run in flight (each run's reports go one after another), plus a few
     *        for token and status calls: the client's default pool of 50 would cap throughput
     * @param outbound the proxy requests would take to {@code baseUrl} (decided once: every call goes to
     *        that one host) and the extra certificate authorities
     */
    static PortApi buildApi(URI baseUrl, Duration timeout, int concurrency, Outbound outbound) {
        return buildApi(baseUrl, timeout, concurrency, outbound, null);
    }

    /** @param metrics times each call ({@link PortCallMetrics}), or null */
    static PortApi buildApi(URI baseUrl, Duration timeout, int concurrency, Outbound outbound,
            PortCallMetrics metrics) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder();
        builder.register(new JsonNodeBodyWriter(), Priorities.USER);
        if (metrics != null) {
            builder.register(metrics);
        }
        outbound.proxies().forUrl(baseUrl.toString()).ifPresent(proxy -> {
            LOG.infof("Port calls go through the proxy %s", proxy);
            builder.proxyAddress(proxy.host(), proxy.port());
            proxy.username().ifPresent(builder::proxyUser);
            proxy.password().ifPresent(password -> builder.proxyPassword(password.reveal()));
        });
        outbound.trustStore().ifPresent(store -> builder.trustStore(store, Outbound.TRUST_STORE_PASSWORD));
        PortApi api = builder
                .baseUri(baseUrl)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, concurrency + 8)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // Statuses are ours to interpret: 422 after a terminal status is an answer, not an error.
                .property("microprofile.rest.client.disable.default.mapper", Boolean.TRUE)
                .build(PortApi.class);
        return metrics == null ? api : metrics.countingNoAnswers(api);
    }

    @Override
    public Uni<Void> addRunLog(String runId, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", bounded(message));
        return authorized("POST run log " + runId, auth -> api.addRunLog(auth, runId, body))
                .map(response -> expectSuccess(response, "POST run log " + runId))
                .replaceWithVoid();
    }

    @Override
    public Uni<PatchResult> patchRun(String runId, RunPatch patch) {
        String call = "PATCH run " + runId;
        return authorized(call, auth -> api.patchRun(auth, runId, patch.toJson()))
                .chain(response -> {
                    if (response.getStatus() == 422) {
                        response.close();
                        // Port also answers 422 to a body it refuses: only the run's status says which.
                        return runStatus(runId).map(status -> {
                            if (status.isTerminal()) {
                                return PatchResult.ALREADY_TERMINAL;
                            }
                            throw new PortCallException(call, 422, null);
                        });
                    }
                    expectSuccess(response, call);
                    return Uni.createFrom().item(PatchResult.ACCEPTED);
                });
    }

    @Override
    public Uni<RunStatus> runStatus(String runId) {
        String call = "GET run " + runId;
        return authorized(call, auth -> api.getRun(auth, runId))
                .map(response -> {
                    if (response.getStatus() == 404) {
                        response.close();
                        return RunStatus.UNKNOWN;
                    }
                    JsonNode body = expectSuccess(response, call);
                    String status = body.path("run").path("status").asText("");
                    return switch (status) {
                        case "SUCCESS" -> RunStatus.SUCCESS;
                        case "FAILURE" -> RunStatus.FAILURE;
                        case "IN_PROGRESS" -> RunStatus.IN_PROGRESS;
                        default -> RunStatus.UNKNOWN;
                    };
                });
    }

    @Override
    public Uni<Void> upsertEntity(String blueprint, String runId, ObjectNode entity) {
        String call = "POST entity of blueprint " + blueprint + " for run " + runId;
        return authorized(call, auth -> api.upsertEntity(auth, blueprint, true, true, runId, entity))
                .map(response -> expectSuccess(response, call))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> reportRunResponse(String runId, JsonNode response) {
        String call = "PATCH run response " + runId;
        ObjectNode body = JsonNodeFactory.instance.objectNode().set("response", response);
        return authorized(call, auth -> api.reportRunResponse(auth, runId, body))
                .map(answer -> expectSuccess(answer, call))
                .replaceWithVoid();
    }

    @Override
    public Uni<String> startActionRun(String action, String entity, JsonNode properties) {
        String call = "POST action run of " + action;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("properties", properties);
        if (entity != null) {
            body.put("entity", entity);
        }
        return authorized(call, auth -> api.startActionRun(auth, action, body))
                .map(response -> {
                    String runId = expectSuccess(response, call).path("run").path("id").asText("");
                    if (runId.isEmpty()) {
                        throw new PortCallException(call + " answered without run.id", response.getStatus(), null);
                    }
                    return runId;
                });
    }

    @Override
    public Uni<Void> addNodeRunLog(String nodeRunId, String level, String message) {
        String call = "POST node run log " + nodeRunId;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("logs").addObject().put("level", level).put("message", bounded(message));
        return authorized(call, auth -> api.addNodeRunLogs(auth, nodeRunId, body))
                .map(response -> expectSuccess(response, call))
                .replaceWithVoid();
    }

    @Override
    public Uni<PatchResult> completeNodeRun(String nodeRunId, String result, JsonNode output) {
        String call = "PATCH node run " + nodeRunId;
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", "COMPLETED").put("result", result);
        if (output != null) {
            body.set("output", output);
        }
        return authorized(call, auth -> api.patchNodeRun(auth, nodeRunId, body))
                .map(response -> {
                    if (response.getStatus() == 409 || response.getStatus() == 422) {
                        // No GET to ask with (port-agent has none either); the body is always one Port takes.
                        response.close();
                        return PatchResult.ALREADY_TERMINAL;
                    }
                    expectSuccess(response, call);
                    return PatchResult.ACCEPTED;
                });
    }

    @Override
    public Uni<KafkaCredentials> kafkaCredentials() {
        String call = "GET kafka-credentials";
        return authorized(call, api::kafkaCredentials)
                .map(response -> {
                    JsonNode credentials = expectSuccess(response, call).path("credentials");
                    List<String> brokers = new ArrayList<>();
                    credentials.path("brokers").forEach(broker -> brokers.add(broker.asText()));
                    if (brokers.isEmpty() || !credentials.hasNonNull("username") || !credentials.hasNonNull("password")) {
                        throw new PortCallException(call + " answered without brokers or credentials", 200, null);
                    }
                    return new KafkaCredentials(brokers, credentials.get("username").asText(),
                            Secret.of(credentials.get("password").asText()));
                });
    }

    @Override
    public Uni<List<JsonNode>> claimPendingRuns(int limit) {
        String call = "POST claim-pending";
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("installationId", POLLING_INSTALLATION)
                .put("limit", limit).put("invocationMethod", "WEBHOOK");
        return Retrying.call(() -> withToken(auth -> api.claimPendingRuns(auth, "true", body)), this::classify,
                        ONE_ATTEMPT, call)
                .onFailure(failure -> !(failure instanceof PortCallException))
                .transform(failure -> new PortCallException(call, 0, failure))
                .map(response -> {
                    JsonNode answer = expectSuccess(response, call);
                    JsonNode runs = answer.isArray() ? answer : answer.has("runs") ? answer.get("runs") : answer.path("data");
                    List<JsonNode> claimed = new ArrayList<>();
                    runs.forEach(run -> {
                        if (run.isObject()) {
                            claimed.add(run);
                        }
                    });
                    return claimed;
                });
    }

    @Override
    public Uni<Integer> ackRuns(List<String> runIds) {
        String call = "PATCH ack of " + runIds.size() + " run(s)";
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        runIds.forEach(body.putArray("runIds")::add);
        return authorized(call, auth -> api.ackRuns(auth, "true", body))
                .map(response -> expectSuccess(response, call).path("ackedCount").asInt(0));
    }

    @Override
    public Uni<Void> announceStreamer(String streamer) {
        String call = "PATCH organization streamer setting";
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("settings").put("portAgentStreamerName", streamer);
        return authorized(call, auth -> api.patchOrganization(auth, body))
                .map(response -> expectSuccess(response, call))
                .replaceWithVoid();
    }

    /**
     * One logical call: retried as {@link RetryRules#forPort} allows, each attempt authorised with
     * the cached token, and repeated once with a new token when Port answers 401.
     */
    private Uni<Response> authorized(String call, Function<String, Uni<Response>> request) {
        return Retrying.call(() -> withToken(request), this::classify, retryPolicy, call, "port")
                .onFailure(failure -> !(failure instanceof PortCallException))
                .transform(failure -> new PortCallException(call, 0, failure));
    }

    private Uni<Response> withToken(Function<String, Uni<Response>> request) {
        return tokens.token().chain(token -> request.apply("Bearer " + token)
                .chain(response -> {
                    if (response.getStatus() != 401) {
                        return Uni.createFrom().item(response);
                    }
                    response.close();
                    LOG.debug("Port answered 401: fetching a new access token and trying once more");
                    tokens.invalidate(token);
                    return tokens.token().chain(fresh -> request.apply("Bearer " + fresh));
                }));
    }

    private RetryDecision classify(Response response, Throwable failure) {
        if (failure != null) {
            return RetryRules.forPortFailure(failure);
        }
        RetryDecision decision = RetryRules.forPort(response.getStatus(), response::getHeaderString);
        if (decision instanceof RetryDecision.Retry) {
            response.close();
        }
        return decision;
    }

    private Uni<AccessTokens.TokenGrant> fetchToken(String clientId, Secret secret) {
        String call = "POST access token";
        return Retrying.call(() -> api.accessToken(new AccessTokenRequest(clientId, secret.reveal())), this::classify,
                retryPolicy, call, "port")
                .onFailure(failure -> !(failure instanceof PortCallException))
                .transform(failure -> new PortCallException(call, 0, failure))
                .map(response -> {
                    if (response.getStatus() == 401 || response.getStatus() == 403) {
                        response.close();
                        throw new PortCallException(call + " (check PORT_CLIENT_ID and PORT_CLIENT_SECRET)",
                                response.getStatus(), null);
                    }
                    JsonNode body = expectSuccess(response, call);
                    String token = body.path("accessToken").asText(null);
                    if (token == null || token.isEmpty()) {
                        throw new PortCallException(call + " answered without accessToken", response.getStatus(), null);
                    }
                    long expiresIn = body.path("expiresIn").asLong(10_800);
                    return new AccessTokens.TokenGrant(token, Duration.ofSeconds(Math.max(1, expiresIn)));
                });
    }

    /** Reads a 2xx answer's JSON body (empty object if none); anything else is a {@link PortCallException}. */
    private static JsonNode expectSuccess(Response response, String call) {
        try {
            if (response.getStatus() / 100 != 2) {
                throw new PortCallException(call, response.getStatus(), null);
            }
            if (!response.hasEntity()) {
                return JsonNodeFactory.instance.objectNode();
            }
            JsonNode body = response.readEntity(JsonNode.class);
            return body == null ? JsonNodeFactory.instance.objectNode() : body;
        } finally {
            response.close();
        }
    }

    private static String bounded(String text) {
        return text == null ? "" : text.length() <= 16_384 ? text : text.substring(0, 16_384) + "… (truncated)";
    }
}
