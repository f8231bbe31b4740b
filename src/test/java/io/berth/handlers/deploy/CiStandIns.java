package io.berth.handlers.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * GitHub's, GitLab's and Argo CD's deployment APIs as their REST references document them, on one
 * WireMock server under three roots (as GitHub Enterprise Server, a GitLab on a relative url root,
 * an Argo CD with {@code --rootpath}):
 *
 * <pre>
 * /api/v3   POST /repos/acme/checkout/actions/workflows/deploy.yml/dispatches   200 run details | 204
 *           GET  /repos/acme/checkout/actions/workflows/deploy.yml/runs?event=&branch=&created=
 *           GET  /repos/acme/checkout/actions/runs/{id}     queued, in_progress, completed
 * /gitlab   POST /api/v4/projects/acme%2Fcheckout/trigger/pipeline (form)        201 pipeline
 *           GET  /api/v4/projects/acme%2Fcheckout/pipelines/{id}  created, pending, running, success|failed
 * /argocd   POST /api/v1/applications/{name}/sync            200 application with its operation
 *           GET  /api/v1/applications/{name}   operation, then Running, Succeeded+Progressing, Healthy
 * </pre>
 *
 * What a deployment does depends on its service's name: {@code broken-*} fails on the third read,
 * {@code stuck-*} never ends, any other succeeds. Argo CD knows every application but
 * {@code missing-*} (for those it answers 403 "permission denied", as Argo CD does). Credentials,
 * refs, workflow inputs and headers are checked as the real APIs check them, with their error bodies.
 */
public final class CiStandIns {

    public static final String GITHUB_TOKEN = "ghp_standin0123456789";
    public static final String GITLAB_TRIGGER_TOKEN = "glptt-standin0123456789";
    public static final String GITLAB_TOKEN = "glpat-standin0123456789";
    public static final String ARGOCD_TOKEN = "argocd-standin-0123456789";
    public static final String REPOSITORY = "acme/checkout";
    public static final String WORKFLOW = "deploy.yml";
    public static final String PROJECT = "acme/checkout";
    public static final String REF = "main";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> API_VERSIONS = Set.of("2022-11-28", "2026-03-10");
    private static final Set<String> WORKFLOW_INPUTS = Set.of("service", "version", "environment", "port_run_id");
    private static final String GITHUB_REPO = "/api/v3/repos/" + REPOSITORY;
    private static final Pattern GITHUB_RUN = Pattern.compile(GITHUB_REPO + "/actions/runs/(\\d+)");
    private static final String GITLAB_PROJECT = "/gitlab/api/v4/projects/(?:acme%2Fcheckout|42)";
    private static final Pattern GITLAB_TRIGGER = Pattern.compile(GITLAB_PROJECT + "/trigger/pipeline");
    private static final Pattern GITLAB_PIPELINE = Pattern.compile(GITLAB_PROJECT + "/pipelines/(\\d+)");
    private static final Pattern ARGO_APP = Pattern.compile("/argocd/api/v1/applications/([a-z0-9.-]+)(/sync)?");

    /** One call as a system received it; {@code path} without the query. */
    public record Call(String method, String path, String query, Map<String, String> headers, String body) {
    }

    /** A deployment in one of the systems: what it deploys and how often its state was read. */
    private static final class Job {
        final String service;
        final JsonNode request;
        int reads;

        Job(String service, JsonNode request) {
            this.service = service;
            this.request = request;
        }

        /** The step a deployment is at after {@code reads} reads, given its service's fate. */
        int step(int last) {
            return service.startsWith("stuck") ? Math.min(reads, last - 1) : Math.min(reads, last);
        }

        boolean fails() {
            return service.startsWith("broken");
        }
    }

    private final WireMockServer server;
    // guarded by this
    private final List<Call> calls = new ArrayList<>();
    private final Map<Long, Job> githubRuns = new LinkedHashMap<>();
    private final Map<Long, Job> gitlabPipelines = new HashMap<>();
    private final Map<String, Job> argoSyncs = new HashMap<>();
    private long nextId = 9_100_000_000L;
    private boolean runDetails = true;

    private CiStandIns() {
        server = new WireMockServer(wireMockConfig().dynamicPort().disableRequestJournal().extensions(new Answers()));
    }

    public static CiStandIns start() {
        CiStandIns standIns = new CiStandIns();
        standIns.server.start();
        standIns.server.stubFor(any(anyUrl()).willReturn(ResponseDefinitionBuilder.okForEmptyJson()));
        return standIns;
    }

    public void stop() {
        server.stop();
    }

    public URI githubApiUrl() {
        return URI.create("http://localhost:" + server.port() + "/api/v3");
    }

    public URI gitlabUrl() {
        return URI.create("http://localhost:" + server.port() + "/gitlab");
    }

    public URI argoCdUrl() {
        return URI.create("http://localhost:" + server.port() + "/argocd");
    }

    /** false: GitHub answers dispatches 204 without run details, as GitHub Enterprise Server before 2026 does. */
    public synchronized void returnRunDetails(boolean supported) {
        runDetails = supported;
    }

    public synchronized List<Call> calls(String method, String pathPart) {
        return calls.stream().filter(call -> call.method().equals(method) && call.path().contains(pathPart)).toList();
    }

    /** Every call's headers and body, to check that no token other than the system's own went anywhere. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    private final class Answers implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "ci-stand-ins";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            synchronized (CiStandIns.this) {
                return answer(event.getRequest());
            }
        }
    }

    private ResponseDefinition answer(Request request) {
        String url = request.getUrl();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q + 1);
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().all().forEach(header -> headers.put(header.key().toLowerCase(), header.firstValue()));
        String body = request.getBodyAsString();
        calls.add(new Call(request.getMethod().getName(), path, query, headers, body));
        String method = request.getMethod().getName();
        if (path.startsWith("/api/v3/")) {
            return github(method, path, query, headers, body);
        }
        if (path.startsWith("/gitlab/api/v4/")) {
            return gitlab(method, path, headers, body);
        }
        if (path.startsWith("/argocd/api/v1/")) {
            return argoCd(method, path, headers, body);
        }
        return json(404, JSON.createObjectNode().put("message", "no such API"));
    }

    // ---- GitHub ---------------------------------------------------------------------------------

    private ResponseDefinition github(String method, String path, String query, Map<String, String> headers,
            String body) {
        if (!("Bearer " + GITHUB_TOKEN).equals(headers.get("authorization"))) {
            return githubError(401, "Bad credentials");
        }
        String version = headers.get("x-github-api-version");
        if (version != null && !API_VERSIONS.contains(version)) {
            return githubError(400, "Unsupported 'X-GitHub-Api-Version' header: " + version);
        }
        String workflow = GITHUB_REPO + "/actions/workflows/" + WORKFLOW;
        if (method.equals("POST") && path.equals(workflow + "/dispatches")) {
            return dispatch(body);
        }
        if (method.equals("GET") && path.equals(workflow + "/runs")) {
            return workflowRuns(query);
        }
        Matcher run = GITHUB_RUN.matcher(path);
        if (method.equals("GET") && run.matches() && githubRuns.containsKey(Long.parseLong(run.group(1)))) {
            long id = Long.parseLong(run.group(1));
            Job job = githubRuns.get(id);
            job.reads++;
            return json(200, githubRun(id, job));
        }
        return githubError(404, "Not Found");
    }

    private ResponseDefinition dispatch(String body) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (Exception e) {
            return githubError(400, "Problems parsing JSON");
        }
        if (!request.path("ref").isTextual()) {
            return githubError(422, "Invalid request.\n\n\"ref\" wasn't supplied.");
        }
        if (!request.path("ref").asText().equals(REF)) {
            return githubError(422, "No ref found for: " + request.path("ref").asText());
        }
        JsonNode inputs = request.path("inputs");
        List<String> unexpected = new ArrayList<>();
        for (Iterator<String> names = inputs.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!WORKFLOW_INPUTS.contains(name)) {
                unexpected.add(name);
            } else if (!inputs.get(name).isTextual()) {
                return githubError(422, "Invalid request.\n\nFor 'properties/" + name + "', " + inputs.get(name)
                        + " is not a string.");
            }
        }
        if (!unexpected.isEmpty()) {
            return githubError(422, "Unexpected inputs provided: " + unexpected);
        }
        if (!inputs.path("service").isTextual()) {
            return githubError(422, "Required input 'service' not provided");
        }
        long id = nextId++;
        githubRuns.put(id, new Job(inputs.path("service").asText(), request));
        if (!runDetails || !request.path("return_run_details").asBoolean(false)) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(204).build();
        }
        return json(200, JSON.createObjectNode().put("workflow_run_id", id)
                .put("run_url", githubApiUrl() + "/repos/" + REPOSITORY + "/actions/runs/" + id)
                .put("html_url", githubHtml(id)));
    }

    private ResponseDefinition workflowRuns(String query) {
        Map<String, String> params = form(query);
        ObjectNode answer = JSON.createObjectNode();
        var runs = answer.putArray("workflow_runs");
        List<Long> ids = new ArrayList<>(githubRuns.keySet());
        for (int i = ids.size() - 1; i >= 0; i--) { // newest first, as GitHub lists them
            boolean matches = "workflow_dispatch".equals(params.getOrDefault("event", "workflow_dispatch"))
                    && REF.equals(params.getOrDefault("branch", REF))
                    && params.getOrDefault("created", "").startsWith(">=");
            if (matches) {
                runs.add(githubRun(ids.get(i), githubRuns.get(ids.get(i))));
            }
        }
        int perPage = Integer.parseInt(params.getOrDefault("per_page", "30"));
        while (runs.size() > perPage) {
            runs.remove(runs.size() - 1);
        }
        answer.put("total_count", runs.size());
        return json(200, answer);
    }

    private ObjectNode githubRun(long id, Job job) {
        String[] steps = { "queued", "queued", "in_progress", "completed" };
        String status = steps[job.step(3)];
        ObjectNode run = JSON.createObjectNode().put("id", id).put("name", "Deploy").put("event", "workflow_dispatch")
                .put("head_branch", REF).put("status", status).put("html_url", githubHtml(id))
                .put("created_at", Instant.now().toString());
        if (status.equals("completed")) {
            run.put("conclusion", job.fails() ? "failure" : "success");
        } else {
            run.putNull("conclusion");
        }
        return run;
    }

    private static String githubHtml(long id) {
        return "https://github.example.com/" + REPOSITORY + "/actions/runs/" + id;
    }

    private static ResponseDefinition githubError(int status, String message) {
        return json(status, JSON.createObjectNode().put("message", message)
                .put("documentation_url", "https://docs.github.com/rest").put("status", String.valueOf(status)));
    }

    // ---- GitLab ---------------------------------------------------------------------------------

    private ResponseDefinition gitlab(String method, String path, Map<String, String> headers, String body) {
        Matcher pipeline = GITLAB_PIPELINE.matcher(path);
        if (method.equals("POST") && GITLAB_TRIGGER.matcher(path).matches()) {
            if (!String.valueOf(headers.get("content-type")).startsWith("application/x-www-form-urlencoded")) {
                return json(400, JSON.createObjectNode().put("error", "token is missing"));
            }
            Map<String, String> form = form(body);
            if (!GITLAB_TRIGGER_TOKEN.equals(form.get("token"))) {
                return json(404, JSON.createObjectNode().put("message", "404 Not Found"));
            }
            if (!REF.equals(form.get("ref"))) {
                ObjectNode error = JSON.createObjectNode();
                error.putObject("message").putArray("base").add("Reference not found");
                return json(400, error);
            }
            long id = nextId++;
            Job job = new Job(form.getOrDefault("variables[SERVICE]", ""), JSON.valueToTree(form));
            gitlabPipelines.put(id, job);
            return json(201, gitlabPipeline(id, job));
        }
        if (method.equals("GET") && pipeline.matches()) {
            if (!GITLAB_TOKEN.equals(headers.get("private-token"))) {
                return json(401, JSON.createObjectNode().put("message", "401 Unauthorized"));
            }
            Job job = gitlabPipelines.get(Long.parseLong(pipeline.group(1)));
            if (job == null) {
                return json(404, JSON.createObjectNode().put("message", "404 Not found"));
            }
            job.reads++;
            return json(200, gitlabPipeline(Long.parseLong(pipeline.group(1)), job));
        }
        return json(404, JSON.createObjectNode().put("error", "404 Not Found"));
    }

    private ObjectNode gitlabPipeline(long id, Job job) {
        String[] steps = { "created", "pending", "running", job.fails() ? "failed" : "success" };
        return JSON.createObjectNode().put("id", id).put("iid", id % 1000).put("project_id", 42)
                .put("sha", "a91957a858320c0e17f3a0eca7cfacbff50ea29a").put("ref", REF).put("status", steps[job.step(3)])
                .put("source", "trigger").put("web_url", "https://gitlab.example.com/" + PROJECT + "/-/pipelines/" + id);
    }

    // ---- Argo CD --------------------------------------------------------------------------------

    private ResponseDefinition argoCd(String method, String path, Map<String, String> headers, String body) {
        if (!("Bearer " + ARGOCD_TOKEN).equals(headers.get("authorization"))) {
            return argoError(401, 16, "no session information");
        }
        Matcher app = ARGO_APP.matcher(path);
        if (!app.matches()) {
            return argoError(404, 5, "Not Found");
        }
        String name = app.group(1);
        if (name.startsWith("missing")) {
            return argoError(403, 7, "permission denied"); // Argo CD does not say whether the application exists
        }
        if (method.equals("POST") && app.group(2) != null) {
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (Exception e) {
                return argoError(400, 3, "invalid character in request body");
            }
            Job job = new Job(name, request);
            argoSyncs.put(name, job);
            return json(200, application(name, job));
        }
        if (method.equals("GET") && app.group(2) == null) {
            Job job = argoSyncs.get(name);
            if (job != null) {
                job.reads++;
            }
            return json(200, application(name, job));
        }
        return argoError(405, 12, "Method Not Allowed");
    }

    /** The application after {@code job.reads} reads of its sync (none: a synced, healthy one). */
    private static ObjectNode application(String name, Job job) {
        ObjectNode app = JSON.createObjectNode();
        app.putObject("metadata").put("name", name).put("namespace", "argocd");
        app.putObject("spec").putObject("source").put("repoURL", "https://github.example.com/acme/deploy.git")
                .put("targetRevision", "HEAD");
        ObjectNode status = app.putObject("status");
        int step = job == null ? 4 : job.step(4);
        if (step == 0) {
            ObjectNode sync = app.putObject("operation").putObject("sync");
            if (job.request.hasNonNull("revision")) {
                sync.put("revision", job.request.path("revision").asText());
            }
        }
        String phase = step <= 1 ? "Running" : job != null && job.fails() ? "Failed" : "Succeeded";
        if (step >= 1) {
            ObjectNode operationState = status.putObject("operationState").put("phase", phase)
                    .put("startedAt", Instant.now().toString());
            operationState.put("message", phase.equals("Failed")
                    ? "one or more objects failed to apply, reason: Deployment.apps \"" + name + "\" is invalid"
                    : phase.equals("Running") ? "one or more tasks are running" : "successfully synced (all tasks run)");
        }
        status.putObject("sync").put("status", step >= 2 && !phase.equals("Failed") ? "Synced" : "OutOfSync");
        status.putObject("health").put("status", step >= 4 ? "Healthy" : step >= 2 ? "Progressing" : "Healthy");
        return app;
    }

    private static ResponseDefinition argoError(int status, int code, String message) {
        return json(status, JSON.createObjectNode().put("error", message).put("code", code).put("message", message));
    }

    // ---- Common ---------------------------------------------------------------------------------

    private static Map<String, String> form(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            fields.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static ResponseDefinition json(int status, JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body.toString()).build();
    }
}
