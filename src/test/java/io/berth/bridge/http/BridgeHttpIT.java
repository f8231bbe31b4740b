package io.berth.bridge.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.KafkaResponder;
import io.berth.testing.KafkaResponder.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The bridge's HTTP side against the real broker: {@code POST /topics/{topic}} (kafka-hooks' and
 * Strimzi's forms), who may call it (API keys, OIDC bearer tokens, nobody else), and request/response
 * over Kafka with a worker answering on the response topic.
 */
@QuarkusTest
@TestProfile(BridgeHttpIT.Endpoints.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class BridgeHttpIT {

    static final String EVENTS = "bridge-http.events";
    static final String REQUESTS = "bridge-http.requests";
    static final String RESPONSES = "bridge-http.responses";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ISSUER = "https://issuer.berth.test";

    /** The bridge file of src/test/resources/bridge/http-endpoints.json, two keys, OIDC with a local key. */
    public static final class Endpoints implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            KafkaBrokerResource.createTopic(EVENTS, 3);
            KafkaBrokerResource.createTopic(REQUESTS, 1);
            KafkaBrokerResource.createTopic(RESPONSES, 3);
            Map<String, String> config = new HashMap<>();
            config.put("berth.bridge.path", "src/test/resources/bridge/http-endpoints.json");
            config.put("berth.bridge.api-keys", "key-one, key-two");
            config.put("berth.bridge.max-body-bytes", "2048");
            config.put("berth.bridge.forwarded-headers", "x-request-id");
            config.put("quarkus.oidc.tenant-enabled", "true");
            config.put("quarkus.oidc.public-key", resource("oidc-test-public.b64").trim());
            config.put("quarkus.oidc.token.issuer", ISSUER);
            return config;
        }
    }

    static KafkaResponder responder;

    @BeforeAll
    static void startWorker() {
        responder = new KafkaResponder(REQUESTS, RESPONSES, "bridge-http-worker", request -> {
            if (request.value().equals("plain")) {
                return new Answer(null, "text/plain", "just text");
            }
            if (request.value().equals("bad status")) {
                return new Answer("twenty", "text/plain", "?");
            }
            Map<String, Object> echo = new HashMap<>();
            echo.put("body", request.value());
            echo.put("pathParams", request.header(ReplyRoute.PATH_PARAMS_HEADER));
            echo.put("queryString", request.header(ReplyRoute.QUERY_STRING_HEADER));
            echo.put("contentType", request.header("content-type"));
            try {
                return new Answer("201", "application/json", JSON.writeValueAsString(echo));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stopWorker() throws InterruptedException {
        responder.close();
    }

    // --- POST /topics/{topic} ------------------------------------------------------------------

    @Test
    void publishesTheBodyUnchangedWithItsKeyAndAnswers202WithTheOffsetTheBrokerGave() {
        String body = "{\"event\": \"user_signup\",  \"userId\": \"123\"}";
        Response response = given().header("Authorization", "Bearer key-one")
                .header("x-plt-kafka-hooks-key", "user-123").contentType("application/json")
                .header("x-request-id", "req-7").header("Cookie", "session=secret").header("x-other", "dropped")
                .body(body).post("/topics/" + EVENTS);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = json(response);
        assertThat(answer.get("topic").asText()).isEqualTo(EVENTS);
        ConsumerRecord<byte[], byte[]> record = recordAt(EVENTS, answer.get("partition").asInt(),
                answer.get("offset").asLong());
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("user-123");
        Map<String, String> headers = headers(record);
        assertThat(headers).containsEntry("x-request-id", "req-7").containsKey("content-type")
                .doesNotContainKeys("authorization", "cookie", "x-other", "x-plt-kafka-hooks-key");
    }

    @Test
    void publishesBinaryBodiesByteForByteWithTheApiKeyInXApiKey() {
        byte[] bytes = new byte[1000];
        new Random(7).nextBytes(bytes);
        Response response = given().header("X-API-Key", "key-two").contentType("application/octet-stream")
                .body(bytes).post("/topics/" + EVENTS);

        assertThat(response.statusCode()).isEqualTo(202);
        ConsumerRecord<byte[], byte[]> record = recordAt(EVENTS, json(response).get("partition").asInt(),
                json(response).get("offset").asLong());
        assertThat(record.value()).isEqualTo(bytes);
        assertThat(record.key()).isNull();
    }

    @Test
    void answers404WithKafkaHooksErrorBodyForATopicTheFileDoesNotAllow() {
        given().header("X-API-Key", "key-one").contentType("text/plain").body("x").post("/topics/secrets")
                .then().statusCode(404)
                .body("code", equalTo("HTTP_ERROR_NOT_FOUND")).body("statusCode", equalTo(404))
                .body("error", equalTo("Not Found")).body("message", equalTo("Topic secrets not found."));
    }

    @Test
    void answers413ForABodyOverTheLimit() {
        given().header("X-API-Key", "key-one").contentType("text/plain").body("x".repeat(4096))
                .post("/topics/" + EVENTS).then().statusCode(413).body("statusCode", equalTo(413));
    }

    @Test
    void refusesCallersWithoutAValidCredential() {
        given().contentType("text/plain").body("x").post("/topics/" + EVENTS).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("code", equalTo("HTTP_ERROR_UNAUTHORIZED"));
        given().header("X-API-Key", "key-three").contentType("text/plain").body("x").post("/topics/" + EVENTS)
                .then().statusCode(401);
        given().header("Authorization", "Bearer key-on").contentType("text/plain").body("x")
                .post("/topics/" + EVENTS).then().statusCode(401);
        given().header("Authorization", "Basic a2V5LW9uZTprZXktb25l").contentType("text/plain").body("x")
                .post("/topics/" + EVENTS).then().statusCode(401);
    }

    @Test
    void admitsAValidOidcBearerTokenAndRefusesAForgedOrExpiredOne() throws Exception {
        given().header("Authorization", "Bearer " + token(testKey(), 5)).contentType("text/plain").body("oidc")
                .post("/topics/" + EVENTS).then().statusCode(202);

        PrivateKey other = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        given().header("Authorization", "Bearer " + token(other, 5)).contentType("text/plain").body("forged")
                .post("/topics/" + EVENTS).then().statusCode(401);
        given().header("Authorization", "Bearer " + token(testKey(), -5)).contentType("text/plain").body("expired")
                .post("/topics/" + EVENTS).then().statusCode(401);
    }

    @Test
    void acceptsStrimziBridgeBatchesAndAnswersAnOffsetPerRecord() {
        String batch = """
                {"records": [
                  {"key": "a", "value": {"n": 1}, "partition": 1,
                   "headers": [{"key": "source", "value": "%s"}, {"key": "authorization", "value": "eA=="}]},
                  {"value": "two"}
                ]}""".formatted(Base64.getEncoder().encodeToString("crm".getBytes(StandardCharsets.UTF_8)));
        Response response = given().header("X-API-Key", "key-one")
                .contentType("application/vnd.kafka.json.v2+json").body(batch).post("/topics/" + EVENTS);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode offsets = json(response).get("offsets");
        assertThat(offsets).hasSize(2);
        assertThat(offsets.get(0).get("partition").asInt()).isEqualTo(1);
        ConsumerRecord<byte[], byte[]> first = recordAt(EVENTS, 1, offsets.get(0).get("offset").asLong());
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("\"a\"");
        assertThat(headers(first)).containsEntry("source", "crm").doesNotContainKey("authorization");
        ConsumerRecord<byte[], byte[]> second = recordAt(EVENTS, offsets.get(1).get("partition").asInt(),
                offsets.get(1).get("offset").asLong());
        assertThat(new String(second.value(), StandardCharsets.UTF_8)).isEqualTo("\"two\"");

        given().header("X-API-Key", "key-one").contentType("application/vnd.kafka.json.v2+json")
                .body("{\"records\": [{\"key\": \"no value\"}]}").post("/topics/" + EVENTS)
                .then().statusCode(422).body("error_code", equalTo(422));
    }

    // --- request/response -----------------------------------------------------------------------

    @Test
    void answersWithTheReplyCarryingTheCorrelationIdItsStatusContentTypeAndValue() throws Exception {
        Response response = given().header("X-API-Key", "key-one").contentType("text/plain")
                .queryParam("tag", "a").queryParam("tag", "b").queryParam("mode", "fast")
                .body("hello").post("/api/echo/42");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.contentType()).isEqualTo("application/json");
        JsonNode echo = json(response);
        assertThat(echo.get("body").asText()).isEqualTo("hello");
        assertThat(echo.get("contentType").asText()).startsWith("text/plain");
        assertThat(JSON.readTree(echo.get("pathParams").asText())).isEqualTo(JSON.readTree("{\"id\": \"42\"}"));
        assertThat(JSON.readTree(echo.get("queryString").asText()))
                .isEqualTo(JSON.readTree("{\"tag\": [\"a\", \"b\"], \"mode\": \"fast\"}"));
    }

    @Test
    void answers200WhenTheReplyHasNoStatusHeader() {
        given().header("X-API-Key", "key-two").contentType("text/plain").body("plain").post("/api/echo/1")
                .then().statusCode(200).contentType("text/plain").body(equalTo("just text"));
    }

    @Test
    void answers502WhenTheReplyStatusIsNotAnHttpStatus() {
        given().header("X-API-Key", "key-one").contentType("text/plain").body("bad status").post("/api/echo/2")
                .then().statusCode(502);
    }

    @Test
    void answers504WhenNoReplyComesInTime() {
        given().header("X-API-Key", "key-one").contentType("text/plain").body("nobody listens").post("/api/silent")
                .then().statusCode(504).body("code", equalTo("HTTP_ERROR_GATEWAY_TIMEOUT"));
    }

    @Test
    void refusesRequestResponseCallsWithoutACredential() {
        int before = responder.answered();
        given().contentType("text/plain").body("hello").post("/api/echo/9").then().statusCode(401);
        assertThat(responder.answered()).isEqualTo(before);
    }

    // --- helpers ----------------------------------------------------------------------------------

    static String token(PrivateKey key, int minutesToExpiry) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject("publisher");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(minutesToExpiry);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    static PrivateKey testKey() throws Exception {
        String pem = resource("oidc-test-private.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static String resource(String name) {
        try {
            return Files.readString(Path.of("src/test/resources/bridge", name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode json(Response response) {
        try {
            return JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.asString(), e);
        }
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** The record the broker holds at {@code partition}/{@code offset} of {@code topic}. */
    static ConsumerRecord<byte[], byte[]> recordAt(String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
            throw new AssertionError("no record at " + topic + "-" + partition + "@" + offset);
        }
    }
}
