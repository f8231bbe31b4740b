package io.berth.handlers.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * A CI/CD system's REST API as the pipelines call it: absolute urls, a bound on every call, JSON
 * answers, and failures a user can act on. A non-2xx answer fails with {@link DeployFailure}
 * (transient for 5xx and 429) naming the call, the status, the system's own error text and a hint.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_TEXT = 300;

    private final WebClient client;
    private final Duration timeout;

    Api(WebClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** A request to {@code url}, bounded by the request timeout. */
    HttpRequest<Buffer> request(HttpMethod method, URI url) {
        return client.requestAbs(method, url.toString()).timeout(timeout.toMillis()).putHeader("User-Agent", "berth");
    }

    /**
     * Sends {@code request} and reads its JSON answer (a missing node for an empty one).
     *
     * @param what the call, as a user reads it ({@code "GitHub Actions: dispatching deploy.yml"})
     * @param hint what to check when the system refuses, by HTTP status
     */
    Uni<Answer> send(HttpRequest<Buffer> request, Buffer body, String what, Function<Integer, String> hint) {
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(body);
        return sent.onFailure(failure -> !(failure instanceof DeployFailure))
                .transform(failure -> new DeployFailure.Transient(what + ": no answer (" + failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")"))
                .map(response -> answer(response, what, hint));
    }

    private static Answer answer(HttpResponse<Buffer> response, String what, Function<Integer, String> hint) {
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status / 100 == 2) {
            return new Answer(status, json);
        }
        String message = what + " was refused (HTTP " + status + errorText(json, response.body()) + ")";
        String advice = hint.apply(status);
        message = advice == null ? message : message + ": " + advice;
        if (status >= 500 || status == 429) {
            throw new DeployFailure.Transient(message);
        }
        throw new DeployFailure(message);
    }

    /** GitHub and GitLab say why in {@code message}, Argo CD in {@code error} or {@code message}. */
    private static String errorText(JsonNode json, Buffer body) {
        String text = json.path("message").isTextual() ? json.path("message").asText()
                : json.path("message").isObject() ? json.path("message").toString()
                : json.path("error").isTextual() ? json.path("error").asText()
                : body == null || !json.isMissingNode() ? "" : body.toString(StandardCharsets.UTF_8);
        text = text.strip().replaceAll("\\s+", " ");
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT) + "...";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    private static JsonNode parse(Buffer body) {
        if (body == null || body.length() == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body.getBytes());
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    /** One URL path segment, encoded ({@code group/project} becomes {@code group%2Fproject}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code base} with {@code path} appended (base's own path kept, e.g. {@code /api/v3}). */
    static URI resolve(URI base, String path) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path);
    }

    /** A 2xx answer: its status and JSON body. */
    record Answer(int status, JsonNode json) {
    }
}
