package io.berth.handlers.deploy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;

/**
 * A GitHub Actions {@code workflow_dispatch} (REST API version 2022-11-28):
 *
 * <pre>
 * POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches
 *      {"ref", "inputs": {service, version, environment, port_run_id}, "return_run_details": true}
 *   200 {"workflow_run_id", "run_url", "html_url"}       (github.com since February 2026)
 *   204 (older GitHub Enterprise Server): the run is looked up, the newest dispatch run of the
 *       workflow on the ref created since the dispatch (GET .../workflows/{workflow}/runs)
 * GET  /repos/{owner}/{repo}/actions/runs/{run_id}  {"status", "conclusion", "html_url"}
 * </pre>
 *
 * The workflow must declare the inputs it is given (GitHub refuses others with 422).
 */
final class GitHubActions implements Pipeline {

    static final String API_VERSION = "2022-11-28";
    private static final int LOOKUP_ATTEMPTS = 10;
    private static final Duration LOOKUP_DELAY = Duration.ofSeconds(2);

    private final Api api;
    private final URI apiUrl;
    private final String repository;
    private final String workflow;
    private final String ref;
    private final Secret token;

    GitHubActions(Api api, DeploySettings.GitHub settings) {
        this.api = api;
        this.apiUrl = settings.apiUrl();
        this.repository = settings.repository().orElseThrow();
        this.workflow = settings.workflow().orElseThrow();
        this.ref = settings.ref();
        this.token = settings.token().orElseThrow();
    }

    @Override
    public String system() {
        return "GitHub Actions";
    }

    @Override
    public Uni<Started> start(Deployment deployment) {
        ObjectNode body = Api.JSON.createObjectNode().put("ref", ref).put("return_run_details", true);
        ObjectNode inputs = body.putObject("inputs").put("service", deployment.service());
        if (deployment.version() != null) {
            inputs.put("version", deployment.version());
        }
        if (deployment.environment() != null) {
            inputs.put("environment", deployment.environment());
        }
        inputs.put("port_run_id", deployment.runId());
        // GitHub's created filter has second precision; a clock a little ahead of GitHub's is tolerated.
        Instant since = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        String what = system() + ": dispatching " + workflow + " of " + repository + " on " + ref;
        return api.send(call(HttpMethod.POST, "/actions/workflows/" + Api.segment(workflow) + "/dispatches"),
                Buffer.buffer(body.toString()), what, this::hint)
                .flatMap(answer -> answer.status() == 204 || !answer.json().hasNonNull("workflow_run_id")
                        ? lookUp(since)
                        : Uni.createFrom().item(new Started(answer.json().path("workflow_run_id").asText(),
                                answer.json().path("html_url").asText(null))));
    }

    /** The run a dispatch without run details started: it appears in the list within seconds. */
    private Uni<Started> lookUp(Instant since) {
        String query = "?event=workflow_dispatch&branch=" + Api.segment(ref) + "&created=" + Api.segment(">=" + since)
                + "&per_page=1";
        String what = system() + ": finding the run the dispatch of " + workflow + " started";
        return Uni.createFrom().deferred(() -> api.send(
                call(HttpMethod.GET, "/actions/workflows/" + Api.segment(workflow) + "/runs" + query), null, what,
                this::hint))
                .map(answer -> {
                    JsonNode newest = answer.json().path("workflow_runs").path(0);
                    if (!newest.hasNonNull("id")) {
                        throw new DeployFailure.Transient(what + ": GitHub lists no run yet");
                    }
                    return new Started(newest.path("id").asText(), newest.path("html_url").asText(null));
                })
                .onFailure(DeployFailure.Transient.class).retry().withBackOff(LOOKUP_DELAY, LOOKUP_DELAY)
                .atMost(LOOKUP_ATTEMPTS);
    }

    @Override
    public Uni<PipelineState> state(Started started) {
        return api.send(call(HttpMethod.GET, "/actions/runs/" + Api.segment(started.id())), null,
                system() + ": reading run " + started.id(), this::hint)
                .map(answer -> {
                    String status = answer.json().path("status").asText("unknown");
                    if (!status.equals("completed")) {
                        return new PipelineState(Phase.RUNNING, status);
                    }
                    String conclusion = answer.json().path("conclusion").asText("unknown");
                    return new PipelineState(conclusion.equals("success") ? Phase.SUCCEEDED : Phase.FAILED,
                            "completed, conclusion " + conclusion);
                });
    }

    private HttpRequest<Buffer> call(HttpMethod method, String path) {
        return api.request(method, Api.resolve(apiUrl, "/repos/" + repository + path))
                .putHeader("Accept", "application/vnd.github+json")
                .putHeader("X-GitHub-Api-Version", API_VERSION)
                .putHeader("Authorization", "Bearer " + token.reveal())
                .putHeader("Content-Type", "application/json");
    }

    private String hint(int status) {
        return switch (status) {
            case 401 -> "GitHub does not accept BERTH_DEPLOY_GITHUB_TOKEN (expired or revoked?)";
            case 403 -> "BERTH_DEPLOY_GITHUB_TOKEN may not run workflows of " + repository
                    + " (it needs Actions: write)";
            case 404 -> "check BERTH_DEPLOY_GITHUB_REPOSITORY (" + repository + ") and BERTH_DEPLOY_GITHUB_WORKFLOW ("
                    + workflow + "), and that the token can see the repository";
            case 422 -> "check that " + workflow + " has a workflow_dispatch trigger declaring the inputs service, "
                    + "version, environment and port_run_id, and that ref " + ref + " exists";
            default -> null;
        };
    }
}
