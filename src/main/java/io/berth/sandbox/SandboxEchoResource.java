package io.berth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A webhook for the sample mapping file ({@code samples/control-the-payload.json}): it answers
 * what it received, so that dev mode runs the mapping-file path end to end with no external
 * service.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Path("/sandbox/echo")
public final class SandboxEchoResource {

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode echo(@HeaderParam("X-Port-Signature") String signature, JsonNode body) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("deploymentId", "dep_" + Long.toString(System.nanoTime() % 1_000_000, 36));
        answer.put("url", "https://deployments.example.com/" + answer.get("deploymentId").asText());
        answer.put("signed", signature != null);
        answer.set("received", body);
        return answer;
    }
}
