package io.berth.bridge.impl;

import java.nio.file.Path;

import org.jboss.logging.Logger;

import io.berth.bridge.BridgeConfiguration;
import io.berth.bridge.BridgeSettings;
import io.berth.config.KafkaClientConfig;
import io.berth.config.PortSettings;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Builds and runs the bridge of {@code BERTH_BRIDGE_PATH}: the one place that decides what a
 * subscription is made of. A file that cannot work stops start-up.
 */
@ApplicationScoped
final class BridgeWiring {

    private static final Logger LOG = Logger.getLogger(BridgeWiring.class);

    private final BridgeSettings settings;
    private final KafkaClientConfig kafka;
    private final PortSettings port;

    @Inject
    BridgeWiring(BridgeSettings settings, KafkaClientConfig kafka, PortSettings port) {
        this.settings = settings;
        this.kafka = kafka;
        this.port = port;
    }

    void start(@Observes StartupEvent event) {
        if (settings.path().isEmpty()) {
            return;
        }
        BridgeConfiguration bridge = BridgeFile.load(Path.of(settings.path().get()), System::getenv);
        refuseWithoutBrokers(bridge);
        LOG.infof("Bridge: %d subscription(s), %d request/response route(s) from %s", bridge.subscriptions().size(),
                bridge.requestResponse().size(), settings.path().get());
    }

    /** The file's brokers, KAFKA_BROKERS, or Port's credentials to fetch them: one of them is needed. */
    private void refuseWithoutBrokers(BridgeConfiguration bridge) {
        boolean portCredentials = port.clientId().filter(id -> !id.isBlank()).isPresent()
                && port.clientSecret().filter(secret -> !secret.isBlank()).isPresent();
        if (bridge.brokers().isEmpty() && !kafka.brokersSet() && !portCredentials) {
            throw new ConfigurationException("Berth cannot start:\n  - Bridge file " + settings.path().get()
                    + ": brokers is missing and KAFKA_BROKERS is not set: set \"brokers\": [\"kafka:9092\"] in the "
                    + "file's kafka section, or KAFKA_BROKERS=kafka:9092");
        }
    }
}
