package io.berth.handlers.deploy;

import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;

/**
 * An Argo CD sync (REST API v1, bearer token):
 *
 * <pre>
 * POST /api/v1/applications/{name}/sync   {"revision"?: version, "prune": false}
 * GET  /api/v1/applications/{name}        operation, status.operationState.{phase,message},
 *                                         status.sync.status, status.health.status
 * </pre>
 *
 * As {@code argocd app wait} decides: the sync is going while {@code operation} is set (the
 * controller has not taken it yet) or {@code operationState.phase} is Running or Terminating;
 * Failed or Error fail the run with Argo CD's message; once Succeeded, the run waits for the
 * application to be Healthy, and fails if it is Degraded.
 */
final class ArgoCdSync implements Pipeline {

    private final Api api;
    private final URI url;
    private final Secret token;
    private final String application;

    ArgoCdSync(Api api, DeploySettings.ArgoCd settings) {
        this.api = api;
        this.url = settings.url().orElseThrow();
        this.token = settings.token().orElseThrow();
        this.application = settings.application();
    }

    @Override
    public String system() {
        return "Argo CD";
    }

    /** The application a deployment syncs: {@code BERTH_DEPLOY_ARGOCD_APPLICATION} with its placeholders filled. */
    String application(Deployment deployment) {
        return application.replace("{service}", deployment.service())
                .replace("{environment}", deployment.environment() == null ? "" : deployment.environment());
    }

    @Override
    public Uni<Started> start(Deployment deployment) {
        String name = application(deployment);
        ObjectNode body = Api.JSON.createObjectNode();
        if (deployment.version() != null) {
            body.put("revision", deployment.version());
        }
        body.put("prune", false);
        return api.send(call(HttpMethod.POST, name, "/sync"), Buffer.buffer(body.toString()),
                system() + ": syncing application " + name, status -> hint(status, name))
                .map(answer -> new Started(name, Api.resolve(url, "/applications/" + Api.segment(name)).toString()));
    }

    @Override
    public Uni<PipelineState> state(Started started) {
        String name = started.id();
        return api.send(call(HttpMethod.GET, name, ""), null, system() + ": reading application " + name,
                status -> hint(status, name))
                .map(answer -> state(answer.json()));
    }

    private static PipelineState state(JsonNode app) {
        JsonNode operationState = app.path("status").path("operationState");
        String phase = operationState.path("phase").asText("");
        String health = app.path("status").path("health").path("status").asText("Unknown");
        String sync = app.path("status").path("sync").path("status").asText("Unknown");
        if (app.hasNonNull("operation")) {
            return new PipelineState(Phase.RUNNING, "sync requested");
        }
        String message = operationState.path("message").asText("");
        return switch (phase) {
            case "Failed", "Error" -> new PipelineState(Phase.FAILED, "sync " + phase
                    + (message.isEmpty() ? "" : ": " + message));
            case "Succeeded" -> new PipelineState(health.equals("Healthy") ? Phase.SUCCEEDED
                    : health.equals("Degraded") ? Phase.FAILED : Phase.RUNNING, "sync Succeeded, " + sync + ", " + health);
            default -> new PipelineState(Phase.RUNNING, "sync " + (phase.isEmpty() ? "pending" : phase)
                    + (message.isEmpty() ? "" : ": " + message));
        };
    }

    private HttpRequest<Buffer> call(HttpMethod method, String name, String path) {
        return api.request(method, Api.resolve(url, "/api/v1/applications/" + Api.segment(name) + path))
                .putHeader("Authorization", "Bearer " + token.reveal())
                .putHeader("Content-Type", "application/json");
    }

    private String hint(int status, String name) {
        return switch (status) {
            case 401 -> "Argo CD does not accept BERTH_DEPLOY_ARGOCD_TOKEN (expired or revoked?)";
            // Argo CD answers 403 as well for an application that does not exist, to hide which ones do.
            case 403, 404 -> "check that application '" + name + "' exists (BERTH_DEPLOY_ARGOCD_APPLICATION) and that "
                    + "BERTH_DEPLOY_ARGOCD_TOKEN's account may sync it";
            default -> null;
        };
    }
}
