package io.berth.handlers.deploy;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.berth.config.Secret;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * A GitLab pipeline started with a trigger token (REST API v4):
 *
 * <pre>
 * POST /api/v4/projects/{id}/trigger/pipeline   form: token, ref, variables[SERVICE], variables[VERSION],
 *                                               variables[ENVIRONMENT], variables[PORT_RUN_ID]
 *   201 {"id", "web_url", "status", ...}
 * GET  /api/v4/projects/{id}/pipelines/{pipeline_id}   PRIVATE-TOKEN: a read_api token
 *   200 {"status": created|waiting_for_resource|preparing|pending|running|success|failed|canceled|
 *                  canceling|skipped|manual|scheduled}
 * </pre>
 *
 * {@code success} ends the run with SUCCESS; {@code failed}, {@code canceled} and {@code skipped}
 * with FAILURE; anything else (a {@code manual} pipeline too) is still going.
 */
final class GitLabPipelines implements Pipeline {

    private static final Set<String> FAILED = Set.of("failed", "canceled", "skipped");

    private final Api api;
    private final URI projectUrl;
    private final String project;
    private final String ref;
    private final Secret triggerToken;
    private final Secret token;

    GitLabPipelines(Api api, DeploySettings.GitLab settings) {
        this.api = api;
        this.project = settings.project().orElseThrow();
        this.projectUrl = Api.resolve(settings.url(), "/api/v4/projects/" + Api.segment(project));
        this.ref = settings.ref();
        this.triggerToken = settings.triggerToken().orElseThrow();
        this.token = settings.token().orElseThrow();
    }

    @Override
    public String system() {
        return "GitLab";
    }

    @Override
    public Uni<Started> start(Deployment deployment) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", triggerToken.reveal());
        form.put("ref", ref);
        form.put("variables[SERVICE]", deployment.service());
        if (deployment.version() != null) {
            form.put("variables[VERSION]", deployment.version());
        }
        if (deployment.environment() != null) {
            form.put("variables[ENVIRONMENT]", deployment.environment());
        }
        form.put("variables[PORT_RUN_ID]", deployment.runId());
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return api.send(api.request(HttpMethod.POST, Api.resolve(projectUrl, "/trigger/pipeline"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded"), Buffer.buffer(body),
                system() + ": triggering a pipeline of " + project + " on " + ref, this::triggerHint)
                .map(answer -> new Started(answer.json().path("id").asText(), answer.json().path("web_url").asText(null)));
    }

    @Override
    public Uni<PipelineState> state(Started started) {
        return api.send(api.request(HttpMethod.GET, Api.resolve(projectUrl, "/pipelines/" + Api.segment(started.id())))
                .putHeader("PRIVATE-TOKEN", token.reveal()), null,
                system() + ": reading pipeline " + started.id(), this::readHint)
                .map(answer -> {
                    String status = answer.json().path("status").asText("unknown");
                    Phase phase = status.equals("success") ? Phase.SUCCEEDED
                            : FAILED.contains(status) ? Phase.FAILED : Phase.RUNNING;
                    return new PipelineState(phase, status);
                });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String triggerHint(int status) {
        return switch (status) {
            case 401, 403 -> "GitLab does not accept BERTH_DEPLOY_GITLAB_TRIGGER_TOKEN for " + project
                    + " (revoked, or its owner lost access?)";
            case 404 -> "check BERTH_DEPLOY_GITLAB_PROJECT (" + project + ") and BERTH_DEPLOY_GITLAB_URL";
            case 400 -> "check that ref " + ref + " (BERTH_DEPLOY_GITLAB_REF) exists and its .gitlab-ci.yml runs for "
                    + "triggers";
            default -> null;
        };
    }

    private String readHint(int status) {
        return switch (status) {
            case 401, 403 -> "BERTH_DEPLOY_GITLAB_TOKEN may not read " + project + "'s pipelines (it needs read_api)";
            case 404 -> "check BERTH_DEPLOY_GITLAB_PROJECT (" + project + ") and that BERTH_DEPLOY_GITLAB_TOKEN can see it";
            default -> null;
        };
    }
}
