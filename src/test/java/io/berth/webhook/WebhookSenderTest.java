package io.berth.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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

    // --- the deadline covers the whole exchange ---------------------------------------------

    @Test
    void anAnswerDrippingOneByteASecondFailsAtTheTimeoutNotAtItsEnd() {
        // 30 chunks over 30 s: never 1.5 s without a byte, so only a deadline on the whole exchange stops it.
        server.stubFor(any(urlPathEqualTo("/drip")).willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(30)).withChunkedDribbleDelay(30, 30_000)));
        long start = System.nanoTime();

        WebhookUnreachableException e = assertThrows(WebhookUnreachableException.class,
                () -> sender(Duration.ofMillis(1_500), 1).send(request("/drip"), "r_1").await().atMost(Duration.ofSeconds(30)));

        assertEquals("Webhook POST " + server.baseUrl() + "/drip did not answer: no answer within 1500 ms after 1 attempt",
                e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 15_000, "gave up late");
    }

    // --- answers are read up to a cap in bytes ----------------------------------------------

    @Test
    void anAnswersHeadersAreOneFieldPerNameInItsFirstCaseWithRepeatedValuesJoinedInOrder() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)
                .withHeader("X-Trace", "a").withHeader("x-trace", "b").withHeader("Retry-After", "3")));

        WebhookResponse response = sender(Duration.ofSeconds(5), 1).send(request("/hook"), "r_1")
                .await().atMost(Duration.ofSeconds(10));

        assertEquals("a, b", response.headers().path("X-Trace").asText(), response.headers().toString());
        assertTrue(response.headers().path("x-trace").isMissingNode(), "one field per name");
        assertEquals("3", response.headers().path("Retry-After").asText());
    }

    @Test
    void anAnswerLongerThanTheCapIsReadUpToTheCapAndMarkedTruncated() {
        server.stubFor(any(urlPathEqualTo("/big")).willReturn(aResponse().withStatus(200)
                .withBody("{\"items\": [" + "1,".repeat(3_000_000) + "1]}")));

        WebhookResponse response = sender(new WebhookLimits(Duration.ofSeconds(5), 1_000, 10), 1)
                .send(request("/big"), "r_1").await().atMost(Duration.ofSeconds(10));

        assertEquals(200, response.statusCode());
        assertTrue(response.truncated());
        assertEquals(1_000, response.text().length());
        assertTrue(response.text().startsWith("{\"items\": [1,1,"), response.text().substring(0, 20));
        assertNull(response.json(), "a cut JSON document is not parsed");
    }

    @Test
    void stopsReadingAtTheCapInsteadOfWaitingForTheRest() {
        // 1 MB over 30 s: the first chunk already holds more than the cap.
        server.stubFor(any(urlPathEqualTo("/slow-big")).willReturn(aResponse().withStatus(200)
                .withBody("y".repeat(1_000_000)).withChunkedDribbleDelay(30, 30_000)));

        WebhookResponse response = sender(new WebhookLimits(Duration.ofSeconds(60), 1_000, 10), 1)
                .send(request("/slow-big"), "r_1").await().atMost(Duration.ofSeconds(15));

        assertTrue(response.truncated());
        assertEquals("y".repeat(1_000), response.text());
    }

    @Test
    void anAnswerOfExactlyTheCapIsWholeAndParsed() {
        String body = "{\"a\":\"" + "z".repeat(92) + "\"}";
        server.stubFor(any(urlPathEqualTo("/exact")).willReturn(aResponse().withStatus(200).withBody(body)));

        WebhookResponse response = sender(new WebhookLimits(Duration.ofSeconds(5), 100, 10), 1)
                .send(request("/exact"), "r_1").await().atMost(Duration.ofSeconds(10));

        assertFalse(response.truncated());
        assertEquals(body, response.text());
        assertEquals("z".repeat(92), response.json().path("a").textValue());
    }

    @Test
    void aCutInTheMiddleOfACharacterLeavesTheIncompleteCharacterOut() {
        byte[] euros = "€€€".getBytes(StandardCharsets.UTF_8); // 3 bytes each
        assertEquals(6, WebhookExchange.wholeCharacters(java.util.Arrays.copyOf(euros, 7)));
        assertEquals(6, WebhookExchange.wholeCharacters(java.util.Arrays.copyOf(euros, 8)));
        assertEquals(9, WebhookExchange.wholeCharacters(euros));
        assertEquals(2, WebhookExchange.wholeCharacters("ab".getBytes(StandardCharsets.UTF_8)));
    }

    // --- redirects, as requests follows them ------------------------------------------------

    private WebhookRequest requestWithCredentials(String path) {
        return new WebhookRequest("POST", server.baseUrl() + path, Examples.object("{\"deploy\": 1}"),
                JsonNodeFactory.instance.objectNode().put("Authorization", "Bearer t0ken").put("X-Custom", "c"),
                JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aSameOrigin302IsFollowedAsAGetWithoutBodyKeepingTheOtherHeaders() {
        server.stubFor(any(urlPathEqualTo("/old")).willReturn(aResponse().withStatus(302).withHeader("Location", "/new?x=1")));
        server.stubFor(any(urlPathEqualTo("/new")).willReturn(aResponse().withStatus(200).withBody("moved")));

        WebhookResponse response = sender(Duration.ofSeconds(5), 1).send(requestWithCredentials("/old"), "r_1")
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(200, response.statusCode());
        assertEquals("moved", response.text());
        assertEquals(1, response.redirects());
        LoggedRequest followed = server.findAll(getRequestedFor(urlPathEqualTo("/new"))).get(0);
        assertEquals("1", followed.queryParameter("x").firstValue());
        assertEquals(0, followed.getBody().length);
        assertFalse(followed.containsHeader("Content-Type"));
        assertEquals("Bearer t0ken", followed.getHeader("Authorization"));
        assertEquals("c", followed.getHeader("X-Custom"));
        assertEquals("r_1", followed.getHeader("Idempotency-Key"));
        assertTrue(followed.containsHeader("X-Port-Signature"));
    }

    @Test
    void a307And308KeepMethodAndBodyAnd303BecomesAGet() {
        server.stubFor(any(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(307).withHeader("Location", "/b")));
        server.stubFor(any(urlPathEqualTo("/b")).willReturn(aResponse().withStatus(308).withHeader("Location", "/c")));
        server.stubFor(any(urlPathEqualTo("/c")).willReturn(aResponse().withStatus(303).withHeader("Location", "/d")));
        server.stubFor(any(urlPathEqualTo("/d")).willReturn(aResponse().withStatus(204)));

        WebhookResponse response = sender(Duration.ofSeconds(5), 1).send(requestWithCredentials("/a"), "r_1")
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(204, response.statusCode());
        assertEquals(3, response.redirects());
        byte[] sent = server.findAll(postRequestedFor(urlPathEqualTo("/a"))).get(0).getBody();
        assertArrayEquals(sent, server.findAll(postRequestedFor(urlPathEqualTo("/b"))).get(0).getBody());
        assertArrayEquals(sent, server.findAll(postRequestedFor(urlPathEqualTo("/c"))).get(0).getBody());
        assertEquals(1, server.findAll(getRequestedFor(urlPathEqualTo("/d"))).size());
    }

    @Test
    void aRedirectToAnotherOriginCarriesNoSignatureCredentialOrMappingHeader() {
        WireMockServer other = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        other.start();
        try {
            other.stubFor(any(urlPathEqualTo("/elsewhere")).willReturn(aResponse().withStatus(200).withBody("there")));
            server.stubFor(any(urlPathEqualTo("/hop")).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", other.baseUrl() + "/elsewhere")));

            WebhookResponse response = sender(Duration.ofSeconds(5), 1).send(requestWithCredentials("/hop"), "r_1")
                    .await().atMost(Duration.ofSeconds(10));

            assertEquals("there", response.text());
            LoggedRequest first = server.findAll(postRequestedFor(urlPathEqualTo("/hop"))).get(0);
            assertTrue(first.containsHeader("X-Port-Signature") && first.containsHeader("Authorization"));
            LoggedRequest second = other.findAll(postRequestedFor(urlPathEqualTo("/elsewhere"))).get(0);
            for (String header : new String[] {"X-Port-Signature", "X-Port-Timestamp", "Authorization",
                    "Idempotency-Key", "X-Custom"}) {
                assertFalse(second.containsHeader(header), header + " went to another origin");
            }
            assertEquals("application/json", second.getHeader("Content-Type"));
            assertArrayEquals(first.getBody(), second.getBody(), "a 307 keeps the body, as requests does");
        } finally {
            other.stop();
        }
    }

    @Test
    void aRedirectLoopFailsAtTheLimitWithThatReasonAndIsNotRetried() {
        server.stubFor(any(urlPathEqualTo("/loop")).willReturn(aResponse().withStatus(302).withHeader("Location", "/loop")));

        WebhookUnreachableException e = assertThrows(WebhookUnreachableException.class,
                () -> sender(new WebhookLimits(Duration.ofSeconds(5), 1_000, 3), 4).send(request("/loop"), "r_1")
                        .await().atMost(Duration.ofSeconds(10)));

        assertEquals("Webhook POST " + server.baseUrl() + "/loop was redirected more than 3 times"
                + " (BERTH_WEBHOOK_MAX_REDIRECTS), last to " + server.baseUrl() + "/loop", e.getMessage());
        assertEquals(4, server.getAllServeEvents().size(), "the request and its 3 redirects, no retry");
    }

    @Test
    void aRedirectWithoutLocationOrToAnotherSchemeFails() {
        server.stubFor(any(urlPathEqualTo("/nowhere")).willReturn(aResponse().withStatus(301)));
        server.stubFor(any(urlPathEqualTo("/ftp")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "ftp://files.example.com/x")));

        WebhookUnreachableException none = assertThrows(WebhookUnreachableException.class,
                () -> sender(Duration.ofSeconds(5), 1).send(request("/nowhere"), "r_1").await().atMost(Duration.ofSeconds(10)));
        WebhookUnreachableException ftp = assertThrows(WebhookUnreachableException.class,
                () -> sender(Duration.ofSeconds(5), 1).send(request("/ftp"), "r_1").await().atMost(Duration.ofSeconds(10)));

        assertTrue(none.getMessage().endsWith("answered 301 without a Location to follow"), none.getMessage());
        assertTrue(ftp.getMessage().endsWith("answered 302 with a Location that is not an absolute http(s) url"),
                ftp.getMessage());
    }
}
