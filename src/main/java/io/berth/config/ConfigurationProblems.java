package io.berth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the settings as a whole before anything connects, and lists each problem with the
 * variable to set and how. Start-up stops on the first list that is not empty.
 */
public final class ConfigurationProblems {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private ConfigurationProblems() {
    }

    /** Kafka's name for a reset policy, librdkafka's (port-agent's) names included; null if unknown. */
    static String offsetReset(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "earliest", "smallest", "beginning" -> "earliest";
            case "latest", "largest", "end" -> "latest";
            default -> null;
        };
    }

    public static List<String> of(PortSettings port, KafkaSettings kafka, BerthSettings berth) {
        List<String> problems = new ArrayList<>();
        String org = port.orgId().filter(id -> !id.isBlank()).orElse(null);
        if (org == null) {
            problems.add("PORT_ORG_ID is not set: set it to your Port organization id (Port: Settings > Credentials), "
                    + "e.g. PORT_ORG_ID=org_1a2b3c");
        }
        if (port.clientId().filter(id -> !id.isBlank()).isEmpty()) {
            problems.add("PORT_CLIENT_ID is not set: Berth needs Port API credentials to report runs "
                    + "(Port: Settings > Credentials)");
        }
        if (port.clientSecret().filter(secret -> !secret.isBlank()).isEmpty()) {
            problems.add("PORT_CLIENT_SECRET is not set: Berth needs it to report runs, verify signatures and "
                    + "decrypt secret inputs");
        }
        String scheme = port.apiBaseUrl().getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || port.apiBaseUrl().getHost() == null) {
            problems.add("PORT_API_BASE_URL must be an http(s) URL such as https://api.port.io, was "
                    + port.apiBaseUrl());
        }
        KafkaSettings.Consumer consumer = kafka.consumer();
        Optional<String> brokers = kafka.brokers().filter(b -> !b.isBlank());
        Optional<String> bootstrap = consumer.bootstrapServers().filter(b -> !b.isBlank());
        if (brokers.isPresent() && bootstrap.isPresent() && !brokers.get().equals(bootstrap.get())) {
            problems.add("KAFKA_BROKERS and KAFKA_CONSUMER_BOOTSTRAP_SERVERS are both set and differ: "
                    + "set only one of them");
        }
        if (org != null && consumer.groupId().isPresent() && !consumer.groupId().get().startsWith(org + ".")
                && !consumer.groupId().get().equals(consumer.username().orElse(null))) {
            problems.add("KAFKA_CONSUMER_GROUP_ID '" + consumer.groupId().get() + "' must start with '" + org
                    + ".' (Port's brokers refuse other groups), e.g. KAFKA_CONSUMER_GROUP_ID=" + org + ".berth");
        }
        Optional<String> protocol = consumer.securityProtocol().map(p -> p.trim().toUpperCase(Locale.ROOT));
        if (protocol.isPresent() && !PROTOCOLS.contains(protocol.get())) {
            problems.add("KAFKA_CONSUMER_SECURITY_PROTOCOL must be one of " + PROTOCOLS + ", was '"
                    + consumer.securityProtocol().get() + "'");
        }
        Optional<String> mechanism = consumer.authenticationMechanism().map(m -> m.trim().toUpperCase(Locale.ROOT))
                .filter(m -> !m.equals("NONE"));
        if (mechanism.isPresent() && !MECHANISMS.contains(mechanism.get())) {
            problems.add("KAFKA_CONSUMER_AUTHENTICATION_MECHANISM must be one of " + MECHANISMS + " or none, was '"
                    + consumer.authenticationMechanism().get() + "'");
        }
        boolean sasl = protocol.map(p -> p.startsWith("SASL_")).orElse(false);
        if (sasl && (consumer.username().isEmpty() || consumer.password().isEmpty())) {
            problems.add("KAFKA_CONSUMER_SECURITY_PROTOCOL=" + protocol.get()
                    + " needs KAFKA_CONSUMER_USERNAME and KAFKA_CONSUMER_PASSWORD");
        }
        if (sasl && mechanism.isEmpty()) {
            problems.add("KAFKA_CONSUMER_SECURITY_PROTOCOL=" + protocol.get()
                    + " needs KAFKA_CONSUMER_AUTHENTICATION_MECHANISM (SCRAM-SHA-512 for Port's brokers)");
        }
        if (consumer.username().isPresent() != consumer.password().isPresent()) {
            problems.add("KAFKA_CONSUMER_USERNAME and KAFKA_CONSUMER_PASSWORD go together: set both or neither");
        }
        if (offsetReset(consumer.autoOffsetReset()) == null) {
            problems.add("KAFKA_CONSUMER_AUTO_OFFSET_RESET must be earliest, latest (or port-agent's smallest, "
                    + "largest), was '" + consumer.autoOffsetReset() + "'");
        }
        if (berth.runs().concurrency() < 1) {
            problems.add("BERTH_RUNS_CONCURRENCY must be at least 1, was " + berth.runs().concurrency());
        }
        if (berth.runs().recentRunsMemory() < 1) {
            problems.add("BERTH_RUNS_RECENT_RUNS_MEMORY must be at least 1, was " + berth.runs().recentRunsMemory());
        }
        if (berth.webhook().maxAnswerBytes() < 1) {
            problems.add("BERTH_WEBHOOK_MAX_ANSWER_BYTES must be at least 1, was " + berth.webhook().maxAnswerBytes()
                    + " (default 1048576, the largest body Port accepts)");
        }
        if (berth.webhook().maxRedirects() < 0) {
            problems.add("BERTH_WEBHOOK_MAX_REDIRECTS must be 0 (follow none) or more, was "
                    + berth.webhook().maxRedirects());
        }
        return problems;
    }
}
