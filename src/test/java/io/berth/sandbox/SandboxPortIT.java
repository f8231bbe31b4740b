package io.berth.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The Port sandbox held to Port's executor contract ({@code /work/shared/port/README.md}): the same
 * rules the test stand-in enforces, over HTTP at {@code /sandbox/port}. It accepts the credentials
 * Berth is configured with (here the stand-in's).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class SandboxPortIT {

    static final String BASE = "/sandbox/port/v1";

    String token;
    String runId;

    @BeforeEach
    void authenticate() {
        token = newToken();
        runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static String newToken() {
        return given().contentType(ContentType.JSON)
                .body("{\"clientId\":\"" + PortStandIn.CLIENT_ID + "\",\"clientSecret\":\"" + PortStandIn.CLIENT_SECRET + "\"}")
                .post(BASE + "/auth/access_token")
                .then().statusCode(200)
                .body("ok", equalTo(true)).body("expiresIn", equalTo(10800)).body("tokenType", equalTo("Bearer"))
                .extract().path("accessToken");
    }

    RequestSpecification authorized() {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    @Test
    void issuesATokenOnlyForJsonCredentialsThatMatch() {
        given().contentType(ContentType.URLENC).formParam("clientId", PortStandIn.CLIENT_ID)
                .formParam("clientSecret", PortStandIn.CLIENT_SECRET)
                .post(BASE + "/auth/access_token").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"clientId\":\"" + PortStandIn.CLIENT_ID + "\",\"clientSecret\":\"nope\"}")
                .post(BASE + "/auth/access_token").then().statusCode(401).body("ok", equalTo(false));
    }

    @Test
    void refusesCallsWithoutTheActiveBearerToken() {
        given().get(BASE + "/actions/runs/" + runId).then().statusCode(401);
        String previous = token;
        token = newToken();
        given().header("Authorization", "Bearer " + previous).get(BASE + "/actions/runs/" + runId)
                .then().statusCode(401);
        authorized().get(BASE + "/actions/runs/" + runId).then().statusCode(200)
                .body("run.id", equalTo(runId)).body("run.status", equalTo("IN_PROGRESS"));
    }

    @Test
    void acceptsOnlyThePatchKeysPortKnows() {
        authorized().body("{\"statusLabel\":\"Building\",\"link\":[\"https://ci/1\"],\"externalRunId\":\"b-1\"}")
                .patch(BASE + "/actions/runs/" + runId).then().statusCode(200).body("run.statusLabel", equalTo("Building"));
        authorized().body("{\"status\":\"SUCCESS\",\"colour\":\"green\"}")
                .patch(BASE + "/actions/runs/" + runId).then().statusCode(422).body("message", containsString("colour"));
        authorized().body("{\"status\":\"DONE\"}")
                .patch(BASE + "/actions/runs/" + runId).then().statusCode(422);
        authorized().get(BASE + "/actions/runs/" + runId).then().body("run.status", equalTo("IN_PROGRESS"));
    }

    @Test
    void refusesEveryWriteAfterATerminalStatus() {
        authorized().body("{\"status\":\"SUCCESS\",\"summary\":\"done\"}")
                .patch(BASE + "/actions/runs/" + runId).then().statusCode(200).body("run.status", equalTo("SUCCESS"));
        authorized().body("{\"status\":\"FAILURE\"}")
                .patch(BASE + "/actions/runs/" + runId).then().statusCode(422).body("error", equalTo("run_already_ended"));
        authorized().body("{\"statusLabel\":\"late\"}")
                .patch(BASE + "/actions/runs/" + runId).then().statusCode(422);
        authorized().body("{\"message\":\"again\",\"terminationStatus\":\"FAILURE\"}")
                .post(BASE + "/actions/runs/" + runId + "/logs").then().statusCode(422);
        authorized().body("{\"identifier\":\"late\"}").queryParam("upsert", true).queryParam("merge", true)
                .queryParam("run_id", runId)
                .post(BASE + "/blueprints/service/entities").then().statusCode(422);
        authorized().get(BASE + "/actions/runs/" + runId).then().body("run.status", equalTo("SUCCESS"));
    }

    @Test
    void completesAWorkflowNodeRunOnceWithAResultAndRefusesWhatPortWouldRefuse() {
        String node = BASE + "/workflows/nodes/runs/wfnr_" + runId.substring(2);
        given().contentType(ContentType.JSON).body("{\"status\":\"COMPLETED\",\"result\":\"SUCCESS\"}")
                .patch(node).then().statusCode(401);
        authorized().body("{\"logs\":[{\"level\":\"INFO\",\"message\":\"Building\"}]}")
                .post(node + "/logs").then().statusCode(201);
        authorized().body("{\"message\":\"an action run's log\"}").post(node + "/logs").then().statusCode(422);
        authorized().body("{\"status\":\"SUCCESS\"}").patch(node).then().statusCode(422);
        authorized().body("{\"status\":\"COMPLETED\",\"result\":\"FAILURE\"}").patch(node).then().statusCode(422);
        authorized().body("{\"status\":\"COMPLETED\",\"result\":\"SUCCESS\",\"summary\":\"x\"}")
                .patch(node).then().statusCode(422).body("message", containsString("summary"));
        authorized().body("{\"status\":\"COMPLETED\",\"result\":\"SUCCESS\",\"output\":{\"image\":\"app:1\"}}")
                .patch(node).then().statusCode(200).body("nodeRun.result", equalTo("SUCCESS"));
        authorized().body("{\"status\":\"COMPLETED\",\"result\":\"FAILED\"}").patch(node).then().statusCode(422);
    }

    @Test
    void endsARunOnceThroughALogsTerminationStatus() {
        authorized().body("{\"message\":\"step 1\"}")
                .post(BASE + "/actions/runs/" + runId + "/logs").then().statusCode(201)
                .body("runLog.message", equalTo("step 1"));
        authorized().body("{\"message\":\"finished\",\"terminationStatus\":\"FAILURE\",\"statusLabel\":\"Failed\"}")
                .post(BASE + "/actions/runs/" + runId + "/logs").then().statusCode(201);
        authorized().body("{\"message\":\"no\",\"level\":\"INFO\"}")
                .post(BASE + "/actions/runs/" + runId + "/logs").then().statusCode(422)
                .body("message", containsString("level"));
        authorized().get(BASE + "/actions/runs/" + runId).then().body("run.status", equalTo("FAILURE"));
    }

    @Test
    void tiesEntitiesToTheRunAndKeepsTheResponse() {
        authorized().body("{\"identifier\":\"checkout\",\"title\":\"Checkout\",\"properties\":{\"tier\":\"1\"}}")
                .queryParam("upsert", true).queryParam("merge", true).queryParam("run_id", runId)
                .post(BASE + "/blueprints/service/entities").then().statusCode(201)
                .body("entity.blueprint", equalTo("service"));
        authorized().body("{\"title\":\"no identifier\"}")
                .post(BASE + "/blueprints/service/entities").then().statusCode(422);
        authorized().body("{\"response\":{\"deployed\":true}}")
                .patch(BASE + "/actions/runs/" + runId + "/response").then().statusCode(200);
        authorized().body("{\"response\":1,\"extra\":2}")
                .patch(BASE + "/actions/runs/" + runId + "/response").then().statusCode(422);
        given().get("/sandbox/port/received").then().statusCode(200)
                .body("find { it.id == '" + runId + "' }.entities[0].identifier", equalTo("checkout"))
                .body("find { it.id == '" + runId + "' }.responses[0].deployed", equalTo(true));
    }

    @Test
    void answersWithTraceAndRateLimitHeadersAndRefusesBodiesOverOneMebibyte() {
        authorized().get(BASE + "/actions/runs/" + runId).then()
                .header("X-Trace-Id", notNullValue()).header("x-ratelimit-limit", notNullValue())
                .header("x-ratelimit-remaining", notNullValue()).header("x-ratelimit-reset", notNullValue());
        String big = "{\"message\":\"" + "x".repeat(1024 * 1024) + "\"}";
        authorized().body(big).post(BASE + "/actions/runs/" + runId + "/logs").then().statusCode(413);
        authorized().body("not json").post(BASE + "/actions/runs/" + runId + "/logs").then().statusCode(400)
                .body("error", startsWith("invalid"));
    }
}
