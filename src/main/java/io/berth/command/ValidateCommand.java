package io.berth.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.berth.config.KafkaClientConfig;
import io.berth.config.StartupRefusals;
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

    /**
     * Every check, in order; the command fails when one of them does. First the start-up checks'
     * refusals ({@link StartupRefusals}: a command records them instead of stopping), then each
     * capability's checks: one whose report cannot even be made (a bean refusing its settings) is a
     * FAIL line of its own, and the others still run.
     */
    public List<Check> run() {
        List<Check> checks = new ArrayList<>();
        StartupRefusals.recorded().forEach(problem -> checks.add(Check.fail("start-up", problem)));
        List<CapabilityReport> ordered = new ArrayList<>();
        for (Instance.Handle<CapabilityReport> handle : reports.handles()) {
            try {
                CapabilityReport report = handle.get();
                report.order(); // a normal-scoped bean is made on its first call
                ordered.add(report);
            } catch (RuntimeException refused) {
                StartupRefusals.problemsIn(refused).forEach(problem -> checks.add(Check.fail("start-up", problem)));
            }
        }
        ordered.sort(Comparator.comparingInt(CapabilityReport::order));
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
