package io.berth.config;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.berth.triggers.TriggerSettings;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Stops start-up, before any channel connects, when the settings cannot work; says what to set. */
@ApplicationScoped
final class StartupCheck {

    private static final Logger LOG = Logger.getLogger(StartupCheck.class);

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, PortSettings port,
            KafkaSettings kafka, BerthSettings berth, WebhookSettings webhook, TriggerSettings triggers,
            StreamerSettings streamer) {
        List<String> problems = new ArrayList<>(ConfigurationProblems.of(port, kafka, berth, triggers.path().isPresent()));
        problems.addAll(ConfigurationProblems.of(webhook));
        if (Streamer.parse(streamer.name()).isEmpty()) {
            problems.add(Streamer.problem(streamer.name()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
        if (Streamer.of(streamer) == Streamer.POLLING) {
            LOG.info("Runs: claimed from Port's API (STREAMER_NAME=POLLING): Berth consumes no topic and connects to "
                    + "no Kafka broker. SmallRye's SRMSG00207 warning about the disabled channels says the same.");
        } else if (!RunsConsumption.consumed(berth.runs().enabled(), port.orgId(), triggers.path().isPresent())) {
            LOG.info("Runs: not consumed (" + (berth.runs().enabled().isPresent() ? "BERTH_RUNS_ENABLED=false"
                    : "a triggers file and no PORT_ORG_ID") + "): Berth runs its topic triggers alone. SmallRye's "
                    + "SRMSG00207 warning about the 'runs' channels says the same.");
        }
    }
}
