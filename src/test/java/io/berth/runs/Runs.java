package io.berth.runs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.Secret;
import io.berth.testing.PortStandIn;
import io.berth.webhook.PortSignature;

/** Builds run messages shaped as Port sends them. */
public final class Runs {

    static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {
    }

    /** A v1 run of {@code action} on entity {@code entity} (null: none) with the given inputs. */
    public static ObjectNode v1(String runId, String action, String entity, ObjectNode inputs) {
        ObjectNode message = JSON.createObjectNode();
        message.put("action", action).put("resourceType", "run").put("status", "TRIGGERED");
        ObjectNode trigger = message.putObject("trigger");
        trigger.putObject("by").put("orgId", "org_test").put("userId", "auth0|1").putObject("user")
                .put("email", "dana@example.com");
        trigger.put("origin", "UI").put("at", "2026-11-20T09:14:03.512Z");
        ObjectNode context = message.putObject("context");
        if (entity == null) {
            context.putNull("entity");
        } else {
            context.put("entity", entity);
        }
        context.put("blueprint", "service").put("runId", runId);
        ObjectNode payload = message.putObject("payload");
        if (entity == null) {
            payload.putNull("entity");
        } else {
            payload.putObject("entity").put("identifier", entity).put("blueprint", "service");
        }
        ObjectNode actionNode = payload.putObject("action");
        actionNode.put("identifier", action).put("blueprint", "service");
        actionNode.putObject("invocationMethod").put("type", "KAFKA");
        payload.set("properties", inputs == null ? JSON.createObjectNode() : inputs);
        return message;
    }

    /** A v1 run of {@code action} whose backend is an agent webhook at {@code url}, as Port routes it to an agent. */
    static ObjectNode agentWebhook(String runId, String action, String url) {
        ObjectNode message = v1(runId, action, null, inputs("version", "1.4.2"));
        ((ObjectNode) message.at("/payload/action")).putObject("invocationMethod").put("type", "WEBHOOK")
                .put("agent", true).put("synchronized", true).put("method", "POST").put("url", url);
        return message;
    }

    /**
     * A workflow node run as port-agent's tests show it on the runs topic: {@code context.runId}
     * ({@code wfnr_...}) and the node's invocation method, no action identifier.
     */
    static ObjectNode nodeRun(String nodeRunId, ObjectNode invocationMethod) {
        ObjectNode message = JSON.createObjectNode();
        message.putObject("headers");
        message.putObject("payload").putObject("action").set("invocationMethod", invocationMethod);
        message.putObject("context").put("runId", nodeRunId);
        return message;
    }

    /** {@code message}, signed by Port at {@code signedAt} (its X-Port-Signature and X-Port-Timestamp). */
    static ObjectNode signed(ObjectNode message, Instant signedAt) {
        PortSignature.signAsPort(message, Secret.of(PortStandIn.CLIENT_SECRET), signedAt.getEpochSecond());
        return message;
    }

    public static ObjectNode inputs(String... keysAndValues) {
        ObjectNode inputs = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            inputs.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return inputs;
    }

    /**
     * Signs {@code message} as Port does. {@code compactJson} is the exact text Port signs (written by
     * hand in tests, not by Berth's serializer).
     */
    static String signature(String compactJson, long timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(PortStandIn.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal((timestamp + "." + compactJson).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }
}
