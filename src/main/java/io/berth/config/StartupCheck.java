package io.berth.config;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.berth.bridge.BridgeSettings;
import io.berth.outbound.Outbound;
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
            PortAgentSettings agent, Outbound outbound, BridgeSettings bridge, StreamerSettings streamer) {
        // outbound: created here, so that an unusable HTTPS_PROXY or SSL_CERT_FILE stops start-up first.
        boolean alone = triggers.path().isPresent() || bridge.path().isPresent();
        List<String> problems = problems(port, kafka, berth, webhook, triggers, agent, bridge, streamer);
        // A command (validate) reports them itself, one line each, and goes on to check the rest.
        if (!problems.isEmpty() && !CommandMode.active()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
        PortAgentNotices.of(agent).forEach(notice -> LOG.log(notice.level(), notice.text()));
        if (Streamer.of(streamer) == Streamer.POLLING) {
            LOG.info("Runs: claimed from Port's API (STREAMER_NAME=POLLING): the runs and the change log connect to "
                    + "no Kafka broker. SmallRye's SRMSG00207 warning about the disabled channels says the same.");
        } else if (!RunsConsumption.consumed(berth.runs().enabled(), port.orgId(), alone)) {
            String files = triggers.path().isPresent() && bridge.path().isPresent() ? "a triggers and a bridge file"
                    : triggers.path().isPresent() ? "a triggers file" : "a bridge file";
            String what = triggers.path().isPresent() && bridge.path().isPresent() ? "topic triggers and bridge"
                    : triggers.path().isPresent() ? "topic triggers" : "bridge";
            LOG.info("Runs: not consumed (" + (berth.runs().enabled().isPresent() ? "BERTH_RUNS_ENABLED=false"
                    : files + " and no PORT_ORG_ID") + "): Berth runs its " + what + " alone. SmallRye's "
                    + "SRMSG00207 warning about the 'runs' channels says the same.");
        }
    }

    /** Every problem of the settings this check reads, each naming the variable and the fix. */
    static List<String> problems(PortSettings port, KafkaSettings kafka, BerthSettings berth, WebhookSettings webhook,
            TriggerSettings triggers, PortAgentSettings agent, BridgeSettings bridge, StreamerSettings streamer) {
        List<String> problems = new ArrayList<>(ConfigurationProblems.of(port, kafka, berth, triggers.path().isPresent(),
                bridge.path().isPresent()));
        problems.addAll(ConfigurationProblems.of(webhook));
        problems.addAll(ConfigurationProblems.ofPortAgent(agent, kafka));
        if (Streamer.parse(streamer.name()).isEmpty()) {
            problems.add(Streamer.problem(streamer.name()));
        }
        return problems;
    }
}
