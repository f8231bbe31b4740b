package io.berth.sandbox;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Port's executor API over HTTP, at {@code /sandbox/port}: what {@code PORT_API_BASE_URL} points
 * at in dev mode. Berth reaches it through its production REST client, so dev mode exercises the
 * same code path as a real organisation. The rules live in {@link SandboxPort}; this class checks
 * what Port checks before them: JSON bodies, 1 MiB, the bearer token. Every answer carries Port's
 * {@code X-Trace-Id} and rate-limit headers.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Path("/sandbox/port")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public final class SandboxPortResource {

    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int RATE_LIMIT = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxPort port;
    private final ObjectMapper mapper;

    @Inject
    SandboxPortResource(SandboxPort port, ObjectMapper mapper) {
        this.port = port;
        this.mapper = mapper;
    }

    @POST
    @Path("/v1/auth/access_token")
    public Response accessToken(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_JSON)) {
            return answer(SandboxPort.error(401, "invalid_request",
                    "The body must be JSON: {\"clientId\", \"clientSecret\"}"));
        }
        return answer(port.issueToken(json(body)));
    }

    @POST
    @Path("/v1/actions/runs/claim-pending")
    public Response claimPending(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return guarded(authorization, body, () -> port.claimPending(json(body)));
    }

    @PATCH
    @Path("/v1/actions/runs/ack")
    public Response ack(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return guarded(authorization, body, () -> port.ack(json(body)));
    }

    @PATCH
    @Path("/v1/organization")
    public Response patchOrganization(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return guarded(authorization, body, () -> port.patchOrganization(json(body)));
    }

    @PATCH
    @Path("/v1/actions/runs/{runId}")
    public Response patchRun(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("runId") String runId, byte[] body) {
        return guarded(authorization, body, () -> port.patchRun(runId, json(body)));
    }

    @GET
    @Path("/v1/actions/runs/{runId}")
    public Response getRun(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("runId") String runId) {
        return guarded(authorization, null, () -> port.getRun(runId));
    }

    @POST
    @Path("/v1/actions/runs/{runId}/logs")
    public Response addLog(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("runId") String runId, byte[] body) {
        return guarded(authorization, body, () -> port.addLog(runId, json(body)));
    }

    @PATCH
    @Path("/v1/actions/runs/{runId}/response")
    public Response reportResponse(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("runId") String runId, byte[] body) {
        return guarded(authorization, body, () -> port.reportResponse(runId, json(body)));
    }

    @POST
    @Path("/v1/blueprints/{blueprint}/entities")
    public Response upsertEntity(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("blueprint") String blueprint, @QueryParam("run_id") String runId, byte[] body) {
        return guarded(authorization, body, () -> port.upsertEntity(blueprint, runId, json(body)));
    }

    @PATCH
    @Path("/v1/workflows/nodes/runs/{nodeRunId}")
    public Response patchNodeRun(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("nodeRunId") String nodeRunId, byte[] body) {
        return guarded(authorization, body, () -> port.patchNodeRun(nodeRunId, json(body)));
    }

    @POST
    @Path("/v1/workflows/nodes/runs/{nodeRunId}/logs")
    public Response addNodeRunLogs(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("nodeRunId") String nodeRunId, byte[] body) {
        return guarded(authorization, body, () -> port.addNodeRunLogs(nodeRunId, json(body)));
    }

    /** Not Port's: what the sandbox received, run by run, newest first. */
    @GET
    @Path("/received")
    public ArrayNode received() {
        return port.received();
    }

    private Response guarded(String authorization, byte[] body, java.util.function.Supplier<SandboxPort.Answer> call) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            return answer(SandboxPort.error(413, "payload_too_large", "Request bodies are limited to 1 MiB"));
        }
        if (!port.authorized(authorization)) {
            return answer(SandboxPort.error(401, "unauthorized", "Missing, expired or revoked bearer token"));
        }
        if (body != null && body.length > 0 && json(body) == null) {
            return answer(SandboxPort.error(400, "invalid_json", "The body is not JSON"));
        }
        return answer(call.get());
    }

    /** The body as JSON, or null when empty or not JSON. */
    private JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static Response answer(SandboxPort.Answer answer) {
        byte[] traceId = new byte[8];
        RANDOM.nextBytes(traceId);
        long reset = Instant.now().getEpochSecond() / 60 * 60 + 60;
        return Response.status(answer.status())
                .type(MediaType.APPLICATION_JSON)
                .header("X-Trace-Id", HexFormat.of().formatHex(traceId))
                .header("x-ratelimit-limit", RATE_LIMIT)
                .header("x-ratelimit-remaining", RATE_LIMIT - 1)
                .header("x-ratelimit-period", 60)
                .header("x-ratelimit-reset", reset)
                .entity(answer.body().toString())
                .build();
    }
}
