package io.berth.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Port's examples, copied into src/test/resources/webhook/. */
final class Examples {

    static final ObjectMapper JSON = new ObjectMapper();

    private Examples() {
    }

    static String resource(String name) {
        try (InputStream in = Examples.class.getResourceAsStream("/webhook/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource webhook/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MappingFile controlThePayload(Map<String, String> env) {
        return MappingFile.parse(resource("control-the-payload.json"), "control-the-payload.json", new Jq(env));
    }

    /** port-agent's example mappings, {@code allow} being BERTH_MAPPING_ENV_ALLOW. */
    static MappingFile controlThePayload(Map<String, String> env, List<String> allow) {
        return MappingFile.parse(resource("control-the-payload.json"), "control-the-payload.json", new Jq(env, allow));
    }

    /** The v1 run of deploy_service, signature headers already removed. */
    static ObjectNode webhookRun() {
        try {
            ObjectNode run = (ObjectNode) JSON.readTree(resource("run-v1-webhook-agent.json"));
            run.remove("headers");
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same run, as a GitLab pipeline trigger of my-group/sub/svc. */
    static ObjectNode gitLabRun() {
        ObjectNode run = webhookRun();
        ObjectNode method = JsonNodeFactory.instance.objectNode()
                .put("type", "GITLAB").put("agent", true).put("groupName", "my-group/sub").put("projectName", "svc");
        ((ObjectNode) run.at("/payload/action")).set("invocationMethod", method);
        ((ObjectNode) run.at("/payload/properties")).put("replicas", 3);
        return run;
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WebhookResponse response(int status, String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException notJson) {
            json = null;
        }
        return new WebhookResponse(status, JsonNodeFactory.instance.objectNode().put("Content-Type", "application/json"),
                body, json, 1, Duration.ofMillis(5));
    }
}
