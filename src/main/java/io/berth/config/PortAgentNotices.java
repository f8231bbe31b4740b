package io.berth.config;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * What Berth says at start-up about port-agent settings it reads but does not act on as port-agent
 * does, so that none is ignored in silence.
 */
final class PortAgentNotices {

    /** One start-up line. */
    record Notice(Logger.Level level, String text) {
    }

    private PortAgentNotices() {
    }

    static List<Notice> of(PortAgentSettings agent) {
        List<Notice> notices = new ArrayList<>();
        if (agent.detailedLogging().orElse(false)) {
            notices.add(new Notice(Logger.Level.INFO, "DETAILED_LOGGING=true: Berth never logs request or response "
                    + "bodies, nor decrypted inputs, whatever this setting; run ids, urls without their query, "
                    + "statuses and reasons are logged"));
        }
        if (agent.localPortInstance()) {
            notices.add(new Notice(Logger.Level.INFO, "USING_LOCAL_PORT_INSTANCE=true: Kafka brokers come from "
                    + "KAFKA_CONSUMER_BOOTSTRAP_SERVERS (or KAFKA_BROKERS); Kafka credentials are not asked of Port"));
        }
        agent.kafkaConsumerBrokers().filter(brokers -> !brokers.isBlank()).ifPresent(brokers -> notices.add(
                new Notice(Logger.Level.WARN, "KAFKA_CONSUMER_BROKERS is not read (port-agent 0.8.10 does not read it "
                        + "either; it takes Port's brokers): set KAFKA_BROKERS to use other brokers")));
        return notices;
    }
}
