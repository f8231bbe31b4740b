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
 * ({@code /hook} answers 204, {@code /refuse} 400).
 */
public final class TriggersFileResource implements QuarkusTestResourceLifecycleManager {

    static final String HANDLED = "triggers-it.handled";
    static final String HOOKED = "triggers-it.hooked";
    static final String PORTED = "triggers-it.ported";
    static final String REFUSED = "triggers-it.refused";

    static WireMockServer receiver;

    @Override
    public Map<String, String> start() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        receiver.stubFor(post(urlPathEqualTo("/refuse")).willReturn(aResponse().withStatus(400)));
        String hooks = "http://localhost:" + receiver.port();
        for (String topic : new String[] {HANDLED, HOOKED, PORTED, REFUSED}) {
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
                """.formatted(HANDLED, HOOKED, hooks, PORTED, REFUSED, hooks);
        try {
            Path path = Files.createDirectories(Path.of("target")).resolve("triggers-it.yaml");
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
