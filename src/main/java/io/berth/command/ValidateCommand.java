package io.berth.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.berth.config.KafkaClientConfig;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * {@code validate}: every capability's checks (settings, files, Port's token, the registry), then
 * the brokers and every topic the capabilities would use. Seed 001's connection test too.
 */
@ApplicationScoped
@Unremovable // looked up by BerthMain only
public class ValidateCommand {

    /** How long one broker may take to answer an admin call. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final Instance<CapabilityReport> reports;
    private final KafkaCheck kafka;

    @Inject
    ValidateCommand(Instance<CapabilityReport> reports, KafkaClientConfig kafka,
            @Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> connection) {
        this.reports = reports;
        this.kafka = new KafkaCheck(connection::get, kafka::connectionTo, KAFKA_TIMEOUT);
    }

    /** Every check, in order; the command fails when one of them does. */
    public List<Check> run() {
        List<CapabilityReport> ordered = reports.stream().sorted(Comparator.comparingInt(CapabilityReport::order))
                .toList();
        List<Check> checks = new ArrayList<>();
        List<TopicUse> topics = new ArrayList<>();
        for (CapabilityReport report : ordered) {
            checks.addAll(report.checks());
            topics.addAll(report.topics());
        }
        if (!topics.isEmpty()) {
            checks.addAll(kafka.check(topics));
        }
        return checks;
    }
}
