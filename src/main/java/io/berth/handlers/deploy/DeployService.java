package io.berth.handlers.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.handlers.ActionHandler;
import io.berth.handlers.OfferedWhenSet;
import io.berth.handlers.RunResult;
import io.berth.handlers.deploy.Pipeline.Deployment;
import io.berth.handlers.deploy.Pipeline.Phase;
import io.berth.handlers.deploy.Pipeline.PipelineState;
import io.berth.handlers.deploy.Pipeline.Started;
import io.berth.outbound.Outbound;
import io.berth.runs.RunContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code deploy_service}: deploys {@code inputs.service} (else the run's entity) at
 * {@code inputs.version} to {@code inputs.environment} through the configured CI/CD system, and
 * reports as it goes:
 *
 * <pre>
 * start ─► link + external run id ─► every BERTH_DEPLOY_POLL_INTERVAL: read the state
 *   ─► a changed state: a progress line in the run's log (and a lifecycle event)
 *   ─► succeeded: SUCCESS │ failed: FAILURE with the system's words │ BERTH_DEPLOY_TIMEOUT: FAILURE
 * </pre>
 *
 * Non-blocking: every call is a Vert.x web client request, so nothing waits on the event loop.
 * Cancelling the run (Berth's handler timeout, shutdown) cancels the subscription, and with it the
 * polling and any call in flight; the deployment itself goes on in its system. No client is built
 * before the first run, and none at all while no system is configured.
 */
@Singleton // no client proxy: one class fewer loaded while it is not offered
@OfferedWhenSet({ "berth.deploy.github.repository", "berth.deploy.gitlab.project", "berth.deploy.argocd.url" })
public final class DeployService implements ActionHandler {

    static final String ACTION = "deploy_service";
    static final String NOT_CONFIGURED = "none of BERTH_DEPLOY_GITHUB_REPOSITORY, BERTH_DEPLOY_GITLAB_PROJECT, "
            + "BERTH_DEPLOY_ARGOCD_URL is set";

    private final DeploySettings settings;
    private final Vertx vertx;
    private final Outbound outbound;
    private volatile Map<String, Pipeline> pipelines;

    @Inject
    DeployService(DeploySettings settings, Vertx vertx, Outbound outbound) {
        this.settings = settings;
        this.vertx = vertx;
        this.outbound = outbound;
    }

    @Override
    public Set<String> actions() {
        return Set.of(ACTION);
    }

    @Override
    public Optional<String> inactiveReason() {
        return DeploySettingsCheck.configured(settings).isEmpty() ? Optional.of(NOT_CONFIGURED) : Optional.empty();
    }

    @Override
    public List<String> settingsProblems() {
        return DeploySettingsCheck.problems(settings);
    }

    /** Long enough for the start, {@code BERTH_DEPLOY_TIMEOUT} of polling and one last call. */
    @Override
    public Optional<Duration> timeout() {
        return Optional.of(settings.timeout().plus(settings.requestTimeout().multipliedBy(3)).plusSeconds(30));
    }

    @Override
    public Uni<RunResult> handle(RunContext run) {
        Pipeline pipeline;
        Deployment deployment;
        try {
            pipeline = choose(run.inputs().path("system"));
            deployment = deployment(run);
        } catch (DeployFailure unusable) {
            return Uni.createFrom().item(RunResult.failure(unusable.getMessage()));
        }
        run.progress(0, "Starting the deployment of " + describe(deployment) + " with " + pipeline.system());
        return pipeline.start(deployment)
                .flatMap(started -> {
                    if (started.url() != null) {
                        run.link(List.of(started.url()));
                    }
                    run.externalRunId(started.id());
                    run.progress(10, pipeline.system() + " started " + started.id()
                            + (started.url() == null ? "" : ": " + started.url()));
                    return follow(pipeline, started, run);
                })
                .map(state -> state.phase() == Phase.SUCCEEDED
                        ? RunResult.success("Deployed " + describe(deployment) + " with " + pipeline.system())
                        : RunResult.failure(pipeline.system() + " did not deploy " + describe(deployment) + ": "
                                + state.description()))
                .onFailure(DeployFailure.class).recoverWithItem(failure -> RunResult.failure(failure.getMessage()));
    }

    /**
     * Reads the state every poll interval until it ends or {@code BERTH_DEPLOY_TIMEOUT} passes. A
     * transient failure to read it (5xx, 429, no answer) is logged and the next poll tries again.
     */
    private Uni<PipelineState> follow(Pipeline pipeline, Started started, RunContext run) {
        AtomicReference<PipelineState> last = new AtomicReference<>();
        Duration timeout = settings.timeout();
        return Multi.createFrom().ticks().every(settings.pollInterval()).onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> pipeline.state(started).map(Optional::of)
                        .onFailure(DeployFailure.Transient.class).recoverWithItem(failure -> {
                            run.log(failure.getMessage() + "; trying again");
                            return Optional.empty();
                        }))
                .filter(Optional::isPresent).map(Optional::get)
                .invoke(state -> {
                    PipelineState previous = last.getAndSet(state);
                    if (previous == null || !previous.description().equals(state.description())) {
                        run.progress(state.finished() ? 100 : 50, pipeline.system() + " " + started.id() + ": "
                                + state.description());
                    }
                })
                .select().where(PipelineState::finished)
                .toUni()
                .ifNoItem().after(timeout).failWith(() -> new DeployFailure(pipeline.system() + " " + started.id()
                        + " did not finish within " + timeout + " (last state: "
                        + (last.get() == null ? "unknown" : last.get().description()) + ")"
                        + (started.url() == null ? "" : ": see " + started.url())
                        + "; it may still be running there. Raise BERTH_DEPLOY_TIMEOUT if deployments take longer"));
    }

    private Pipeline choose(JsonNode system) {
        Map<String, Pipeline> configured = pipelines();
        if (system.isTextual() && !system.asText().isBlank()) {
            Pipeline chosen = configured.get(system.asText());
            if (chosen == null) {
                throw new DeployFailure("inputs.system '" + system.asText() + "' is not configured here: choose one of "
                        + configured.keySet());
            }
            return chosen;
        }
        if (configured.size() > 1) {
            throw new DeployFailure("Several CI/CD systems are configured " + configured.keySet()
                    + ": say which one in inputs.system");
        }
        return configured.values().iterator().next();
    }

    private static Deployment deployment(RunContext run) {
        String service = text(run.inputs().path("service"))
                .or(() -> run.entity().flatMap(entity -> text(entity.path("identifier"))))
                .orElseThrow(() -> new DeployFailure("No service to deploy: give inputs.service, or run the action on "
                        + "a service entity"));
        return new Deployment(service, text(run.inputs().path("version")).orElse(null),
                text(run.inputs().path("environment")).orElse(null), run.runId());
    }

    private static Optional<String> text(JsonNode node) {
        return node.isValueNode() && !node.asText().isBlank() ? Optional.of(node.asText().strip()) : Optional.empty();
    }

    private static String describe(Deployment deployment) {
        return deployment.service() + (deployment.version() == null ? "" : " " + deployment.version())
                + (deployment.environment() == null ? "" : " to " + deployment.environment());
    }

    /** The configured systems by {@code inputs.system} name, built on the first run. */
    private Map<String, Pipeline> pipelines() {
        Map<String, Pipeline> built = pipelines;
        if (built == null) {
            synchronized (this) {
                built = pipelines;
                if (built == null) {
                    built = build();
                    pipelines = built;
                }
            }
        }
        return built;
    }

    private Map<String, Pipeline> build() {
        Map<String, Pipeline> built = new LinkedHashMap<>();
        for (String system : DeploySettingsCheck.configured(settings)) {
            switch (system) {
                case DeploySettingsCheck.GITHUB -> built.put(system,
                        new GitHubActions(api(settings.github().apiUrl()), settings.github()));
                case DeploySettingsCheck.GITLAB -> built.put(system,
                        new GitLabPipelines(api(settings.gitlab().url()), settings.gitlab()));
                default -> built.put(system,
                        new ArgoCdSync(api(settings.argoCd().url().orElseThrow()), settings.argoCd()));
            }
        }
        return Collections.unmodifiableMap(built); // in configuration order, for messages
    }

    /** A client for one system: Berth's extra certificate authorities and the proxy for its url. */
    private Api api(URI base) {
        WebClientOptions options = new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis()))
                .setFollowRedirects(false);
        outbound.trustManagers().ifPresent(trust -> options.setTrustOptions(TrustOptions.wrap(trust)));
        outbound.proxies().forUrl(base.toString()).ifPresent(proxy -> {
            ProxyOptions proxyOptions = new ProxyOptions().setType(ProxyType.HTTP).setHost(proxy.host())
                    .setPort(proxy.port());
            proxy.username().ifPresent(proxyOptions::setUsername);
            proxy.password().ifPresent(password -> proxyOptions.setPassword(password.reveal()));
            options.setProxyOptions(proxyOptions);
        });
        return new Api(WebClient.create(vertx, options), settings.requestTimeout());
    }
}
