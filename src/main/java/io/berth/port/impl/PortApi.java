package io.berth.port.impl;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Port's REST API as a declarative client. Every method answers the raw {@link Response} (the
 * default exception mapper is off) so that {@link RestPortClient} sees statuses and rate-limit
 * headers and decides itself what is a success, a retry or a failure.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface PortApi {

    @POST
    @Path("/auth/access_token")
    Uni<Response> accessToken(AccessTokenRequest credentials);

    @POST
    @Path("/actions/runs/{runId}/logs")
    Uni<Response> addRunLog(@HeaderParam("Authorization") String authorization, @PathParam("runId") String runId,
            JsonNode body);

    @PATCH
    @Path("/actions/runs/{runId}")
    Uni<Response> patchRun(@HeaderParam("Authorization") String authorization, @PathParam("runId") String runId,
            JsonNode body);

    @GET
    @Path("/actions/runs/{runId}")
    Uni<Response> getRun(@HeaderParam("Authorization") String authorization, @PathParam("runId") String runId);

    @POST
    @Path("/blueprints/{blueprint}/entities")
    Uni<Response> upsertEntity(@HeaderParam("Authorization") String authorization,
            @PathParam("blueprint") String blueprint, @QueryParam("upsert") boolean upsert,
            @QueryParam("merge") boolean merge, @QueryParam("run_id") String runId, JsonNode entity);

    @PATCH
    @Path("/actions/runs/{runId}/response")
    Uni<Response> reportRunResponse(@HeaderParam("Authorization") String authorization,
            @PathParam("runId") String runId, JsonNode body);

    @POST
    @Path("/actions/{action}/runs")
    Uni<Response> startActionRun(@HeaderParam("Authorization") String authorization,
            @PathParam("action") String action, JsonNode body);

    @POST
    @Path("/workflows/nodes/runs/{nodeRunId}/logs")
    Uni<Response> addNodeRunLogs(@HeaderParam("Authorization") String authorization,
            @PathParam("nodeRunId") String nodeRunId, JsonNode body);

    @PATCH
    @Path("/workflows/nodes/runs/{nodeRunId}")
    Uni<Response> patchNodeRun(@HeaderParam("Authorization") String authorization,
            @PathParam("nodeRunId") String nodeRunId, JsonNode body);

    @POST
    @Path("/actions/runs/claim-pending")
    Uni<Response> claimPendingRuns(@HeaderParam("Authorization") String authorization,
            @HeaderParam(RESERVED_USAGE) String reservedUsage, JsonNode body);

    @PATCH
    @Path("/actions/runs/ack")
    Uni<Response> ackRuns(@HeaderParam("Authorization") String authorization,
            @HeaderParam(RESERVED_USAGE) String reservedUsage, JsonNode body);

    @PATCH
    @Path("/organization")
    Uni<Response> patchOrganization(@HeaderParam("Authorization") String authorization, JsonNode body);

    /** port-agent sends {@code x-port-reserved-usage: true} with its claims and acks; so does Berth. */
    String RESERVED_USAGE = "x-port-reserved-usage";

    @GET
    @Path("/kafka-credentials")
    Uni<Response> kafkaCredentials(@HeaderParam("Authorization") String authorization);
}
