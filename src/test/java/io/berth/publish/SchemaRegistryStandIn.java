package io.berth.publish;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A schema registry for {@link KafkaPublishIT}, and the mapping file that points Berth's publish
 * entries at it.
 *
 * <p>Why a stand-in and not a real registry: Apicurio Registry 3.x is on Maven Central only as the
 * modules of a Quarkus application (no runnable distribution), and Confluent's registry is not on
 * Maven Central at all; without Docker neither can be started by the test. So this is WireMock
 * answering exactly as Confluent's REST API documents {@code GET /subjects/{subject}/versions/latest}:
 * {@code 200} with {@code subject}, {@code version}, {@code id}, {@code schema} (a string) and
 * {@code schemaType} left out for Avro and {@code "JSON"} for JSON Schema, content type
 * {@code application/vnd.schemaregistry.v1+json}; {@code 404} with {@code error_code 40401} for an
 * unknown subject. The tests stub each subject themselves ({@link KafkaPublishIT}).
 *
 * <p>It also answers Apicurio Registry's v2 REST API for schema content by id
 * ({@link #serveContentForApicurioSerdes}), the one lookup Apicurio's Kafka deserializer makes in
 * Confluent-compatible mode, so that a Confluent-compatible client library decodes Berth's records.
 */
public final class SchemaRegistryStandIn implements QuarkusTestResourceLifecycleManager {

    static final String USERNAME = "berth-registry";
    static final String PASSWORD = "registry-pw-0123";
    /** Where Apicurio Registry 2.x serves its own REST API. */
    static final String APICURIO_V2 = "/apis/registry/v2";

    private static volatile WireMockServer registry;
    private static volatile int deadPort;

    @Override
    public Map<String, String> start() {
        WireMockServer started = new WireMockServer(wireMockConfig().dynamicPort());
        started.start();
        registry = started;
        deadPort = freePort();
        try {
            Path mapping = Files.createTempFile("publish-mapping", ".json");
            mapping.toFile().deleteOnExit();
            Files.writeString(mapping, mappingFile(started.baseUrl(), "http://127.0.0.1:" + deadPort));
            return Map.of("control-the-payload.config-path", mapping.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        WireMockServer running = registry;
        if (running != null) {
            running.stop();
        }
    }

    static WireMockServer registry() {
        return registry;
    }

    /**
     * Serves {@code schema} as Apicurio Registry's v2 API documents it for content id {@code id}:
     * {@code GET /apis/registry/v2/ids/contentIds/{contentId}} answers the schema text itself (an Avro
     * artifact's content type is {@code application/json}), and
     * {@code GET /apis/registry/v2/ids/contentIds/{contentId}/references} the list of the schema's
     * references (none). Apicurio's Confluent-compatible API hands out content ids as Confluent's
     * {@code id}, so the id Berth framed into the record is the content id looked up here.
     */
    static void serveContentForApicurioSerdes(int id, String schema) {
        String content = APICURIO_V2 + "/ids/contentIds/" + id;
        registry.stubFor(get(urlEqualTo(content)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(schema)));
        registry.stubFor(get(urlEqualTo(content + "/references")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));
    }

    /** A port nothing listens on: a registry that is down. */
    static int deadPort() {
        return deadPort;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One entry per scenario; topics are per run, so each test reads only its own records. */
    private static String mappingFile(String registryUrl, String deadRegistryUrl) {
        return """
                [
                  {"enabled": ".payload.action.identifier == \\"test_publish_plain\\"",
                   "kafka": {"topic": "\\"publish.plain.\\" + .context.runId",
                             "key": "\\"user-\\" + .payload.properties.userId",
                             "headers": {"source": "\\"berth\\"", "run": ".context.runId"},
                             "value": ".payload.properties",
                             "compression": "gzip", "lingerMs": 0}},
                  {"enabled": ".payload.action.identifier == \\"test_publish_json\\"",
                   "kafka": {"topic": "\\"publish.orders.\\" + .context.runId",
                             "value": ".payload.properties",
                             "schemaRegistry": {"url": "REGISTRY", "format": "JSON", "wireFormat": false}}},
                  {"enabled": ".payload.action.identifier == \\"test_publish_avro\\"",
                   "kafka": {"topic": "\\"publish.users.\\" + .context.runId",
                             "key": ".payload.properties.id",
                             "value": ".payload.properties",
                             "schemaRegistry": {"url": "REGISTRY", "subject": "user.profile.updated",
                                                "format": "AVRO", "wireFormat": true,
                                                "username": "USERNAME", "password": "PASSWORD"}}},
                  {"enabled": ".payload.action.identifier == \\"test_publish_unavailable\\"",
                   "kafka": {"topic": "\\"publish.unavailable\\"",
                             "schemaRegistry": {"url": "REGISTRY", "subject": "unavailable"}}},
                  {"enabled": ".payload.action.identifier == \\"test_publish_down\\"",
                   "kafka": {"topic": "\\"publish.down\\"",
                             "schemaRegistry": {"url": "DEAD"}}}
                ]
                """.replace("REGISTRY", registryUrl).replace("DEAD", deadRegistryUrl)
                .replace("USERNAME", USERNAME).replace("PASSWORD", PASSWORD);
    }
}
