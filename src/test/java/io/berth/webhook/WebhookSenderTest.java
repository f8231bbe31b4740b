package io.berth.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.berth.config.Secret;
import io.berth.retry.RetryPolicy;

class WebhookSenderTest extends ReceiverFixture {

    static final String SECRET = "0123456789abcdef0123456789abcdef-client-secret";


    static RetryPolicy quickRetries(int attempts) {
        return new RetryPolicy(Duration.ofMillis(10), 1.0, 0.0, Duration.ofMillis(10), attempts, Duration.ofSeconds(10));
    }

    private WebhookSender sender(Duration timeout, int attempts) {
        return sender(WebhookLimits.withTimeout(timeout), attempts);
    }

    static WebhookSender sender(WebhookLimits limits, int attempts) {
        return new WebhookSender(WebhookSender.httpClient(vertx, true, 8, limits.timeout()), limits,
                quickRetries(attempts), Optional.of(Secret.of(SECRET)));
    }

    private WebhookRequest request(String path) {
        return new WebhookRequest("POST", server.baseUrl() + path,
                Examples.object("{\"name\": \"Zoë 😀\", \"n\": 1.0}"),
                JsonNodeFactory.instance.objectNode().put("X-Custom", "c"),
                JsonNodeFactory.instance.objectNode().put("env", "prod"));
    }

    @Test
    void signsTheExactBodyBytesAndSendsTheIdempotencyKey() throws Exception {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));

        WebhookResponse response = sender(Duration.ofSeconds(5), 1).send(request("/hook"), "r_123")
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(200, response.statusCode());
        assertEquals("{\"ok\":true}", response.json().toString());
        LoggedRequest received = server.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0);
        String body = new String(received.getBody(), StandardCharsets.US_ASCII);
        assertEquals("{\"name\":\"Zo\\u00eb \\ud83d\\ude00\",\"n\":1.0}", body);
        String timestamp = received.getHeader("X-Port-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, received.getHeader("X-Port-Signature"));
        assertEquals("r_123", received.getHeader("Idempotency-Key"));
        assertEquals("application/json", received.getHeader("Content-Type"));
        assertEquals("c", received.getHeader("X-Custom"));
        assertEquals("prod", received.queryParameter("env").firstValue());
    }

    @Test
    void keepsTheMappingsContentTypeAndSendsNoIdempotencyKeyWithoutRunId() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        WebhookRequest request = new WebhookRequest("PUT", server.baseUrl() + "/hook", Examples.object("{}"),
                JsonNodeFactory.instance.objectNode().put("content-type", "application/vnd.x+json"),
                JsonNodeFactory.instance.objectNode());

        sender(Duration.ofSeconds(5), 1).send(request, null).await().atMost(Duration.ofSeconds(10));

        LoggedRequest received = server.getAllServeEvents().get(0).getRequest();
        assertEquals("application/vnd.x+json", received.getHeader("Content-Type"));
        assertFalse(received.containsHeader("Idempotency-Key"));
    }

    @Test
    void retriesA503ThenSucceeds() {
        server.stubFor(any(urlPathEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        server.stubFor(any(urlPathEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("done")));

        WebhookResponse response = sender(Duration.ofSeconds(5), 4).send(request("/hook"), "r_1")
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(200, response.statusCode());
        assertEquals("done", response.text());
        assertEquals(2, response.attempts());
        server.verify(2, postRequestedFor(urlPathEqualTo("/hook")).withHeader("Idempotency-Key", equalTo("r_1")));
    }

    @Test
    void doesNotRetryA400() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(400).withBody("bad")));

        WebhookResponse response = sender(Duration.ofSeconds(5), 4).send(request("/hook"), "r_1")
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(400, response.statusCode());
        assertEquals(1, response.attempts());
        server.verify(1, postRequestedFor(urlPathEqualTo("/hook")));
    }

    @Test
    void givesUpAfterTimeoutsWithAReasonThatHidesTheQuery() {
        server.stubFor(any(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));

        WebhookUnreachableException e = assertThrows(WebhookUnreachableException.class,
                () -> sender(Duration.ofMillis(200), 2).send(request("/slow"), "r_1").await().atMost(Duration.ofSeconds(10)));

        assertEquals("Webhook POST " + server.baseUrl() + "/slow did not answer: no answer within 200 ms after 2 attempts",
                e.getMessage());
        server.verify(2, postRequestedFor(urlPathEqualTo("/slow")));
    }

    @Test
    void reportsARefusedConnection() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        WebhookRequest request = new WebhookRequest("POST", "http://localhost:" + port + "/x?token=secret",
                Examples.object("{}"), JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode());

        WebhookUnreachableException e = assertThrows(WebhookUnreachableException.class,
                () -> sender(Duration.ofSeconds(2), 3).send(request, "r_1").await().atMost(Duration.ofSeconds(10)));

        assertEquals("Webhook POST http://localhost:" + port + "/x did not answer: connection refused after 3 attempts",
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void refusesAUrlThatIsNotHttp() {
        WebhookRequest request = new WebhookRequest("POST", "", Examples.object("{}"),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode());

        WebhookUnreachableException e = assertThrows(WebhookUnreachableException.class,
                () -> sender(Duration.ofSeconds(2), 3).send(request, "r_1").await().atMost(Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("not an absolute http(s) url"), e.getMessage());
    }
}
