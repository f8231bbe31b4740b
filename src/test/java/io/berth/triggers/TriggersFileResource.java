package io.berth.triggers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A YAML triggers file with one trigger per target kind, their topics, and a webhook receiver
 * ({@code /hook} answers 204, {@code /refuse} 400). The topics are {@code triggers-it.*} unless a
 * {@code prefix} argument names others (tests that count records need topics of their own).
 */
public final class TriggersFileResource implements QuarkusTestResourceLifecycleManager {

    public static final String HANDLED = "triggers-it.handled";
    public static final String HOOKED = "triggers-it.hooked";
    public static final String PORTED = "triggers-it.ported";
    public static final String REFUSED = "triggers-it.refused";

    public static WireMockServer receiver;

    private String prefix = "triggers-it";

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("prefix", prefix);
    }

    @Override
    public Map<String, String> start() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        receiver.stubFor(post(urlPathEqualTo("/refuse")).willReturn(aResponse().withStatus(400)));
        String hooks = "http://localhost:" + receiver.port();
        String[] topics = {prefix + ".handled", prefix + ".hooked", prefix + ".ported", prefix + ".refused"};
        for (String topic : topics) {
            KafkaBrokerResource.createTopic(topic, 1);
        }
        String file = """
                triggers:
                  - id: handled
                    type: kafka
                    configuration: {topic: %s, from_beginning: true}
                    target: {handler: recording}
                  - id: hooked
                    type: kafka
                    configuration: {topic: %s, from_beginning: true, ordering: none}
                    target:
                      webhook: {url: "%s/hook", headers: {X-Team: ops}}
                  - id: ported
                    type: kafka
                    configuration: {topic: %s, from_beginning: true}
                    target:
                      port_action:
                        action: deploy_service
                        entity: .key
                        properties: {service: .message.service, version: .message.version, from: .topic}
                  - id: refused
                    type: kafka
                    configuration: {topic: %s, from_beginning: true}
                    target:
                      webhook: {url: "%s/refuse?token=never-logged"}
                """.formatted(topics[0], topics[1], hooks, topics[2], topics[3], hooks);
        try {
            Path path = Files.createDirectories(Path.of("target")).resolve(prefix + ".yaml");
            Files.writeString(path, file);
            return Map.of("berth.triggers.path", path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.stop();
        }
    }
}
