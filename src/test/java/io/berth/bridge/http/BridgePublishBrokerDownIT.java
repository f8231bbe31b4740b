package io.berth.bridge.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A bridge file whose brokers do not answer (nothing listens on port 1), and whose endpoints the
 * file opens ({@code "httpOpen": true}): callers need no credential, and learn within
 * {@code BERTH_BRIDGE_PUBLISH_TIMEOUT} that Kafka is unavailable, with a {@code Retry-After}.
 */
@QuarkusTest
@TestProfile(BridgePublishBrokerDownIT.DeadBroker.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class BridgePublishBrokerDownIT {

    public static final class DeadBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.bridge.path", "src/test/resources/bridge/http-broker-down.json",
                    "berth.bridge.publish-timeout", "1s");
        }
    }

    @Test
    void answers503WithRetryAfterWithinThePublishTimeoutWhileTheBrokerIsUnavailable() {
        // The first call also pays for the endpoint's and the producer's first use: time the second.
        publish().then().statusCode(503);
        long started = System.nanoTime();
        Response response = publish();
        long millis = (System.nanoTime() - started) / 1_000_000;

        response.then().statusCode(503).header("Retry-After", "5")
                .body("code", equalTo("HTTP_ERROR_SERVICE_UNAVAILABLE"));
        assertThat(millis).as("a 1 s publish timeout, far below Kafka's own 60 s max.block.ms").isLessThan(5_000);
    }

    private static Response publish() {
        return given().contentType("application/json").body("{\"a\": 1}").post("/topics/bridge-http.nowhere");
    }

    @Test
    void anOpenFileStillAllowsOnlyItsTopics() {
        given().contentType("text/plain").body("x").post("/topics/other").then().statusCode(404);
    }
}
