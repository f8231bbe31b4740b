package io.berth.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.berth.retry.RetrySettings;

/**
 * Checks the settings as a whole before anything connects, and lists each problem with the
 * variable to set and how. Start-up stops on the first list that is not empty.
 */
public final class ConfigurationProblems {

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

    /** The settings of a Berth that consumes the runs topic and declares no triggers. */
    public static List<String> of(PortSettings port, KafkaSettings kafka, BerthSettings berth) {
        return of(port, kafka, berth, false);
    }

    /** The settings of a Berth that may run topic triggers, and no bridge. */
    public static List<String> of(PortSettings port, KafkaSettings kafka, BerthSettings berth,
            boolean triggersDeclared) {
        return of(port, kafka, berth, triggersDeclared, false);
    }

    /**
     * @param triggersDeclared whether {@code BERTH_TRIGGERS_PATH} is set: with it and no
     *        {@code PORT_ORG_ID}, Berth runs its triggers alone and needs no Port setting (the
     *        triggers' Port action targets are checked with {@link #forPortActions})
     * @param bridgeDeclared whether {@code BERTH_BRIDGE_PATH} is set: the same, for the Kafka → HTTP
     *        bridge, whose brokers may come from its own file (checked with the file)
     */
    public static List<String> of(PortSettings port, KafkaSettings kafka, BerthSettings berth,
            boolean triggersDeclared, boolean bridgeDeclared) {
        List<String> problems = new ArrayList<>();
        String org = port.orgId().filter(id -> !id.isBlank()).orElse(null);
        boolean runs = RunsConsumption.consumed(berth.runs().enabled(), port.orgId(),
                triggersDeclared || bridgeDeclared);
        if (runs && org == null) {
            problems.add("PORT_ORG_ID is not set: set it to your Port organization id (Port: Settings > Credentials), "
                    + "e.g. PORT_ORG_ID=org_1a2b3c" + (berth.runs().enabled().isPresent() ? ""
                            : " (to run topic triggers alone, set only BERTH_TRIGGERS_PATH and KAFKA_BROKERS; "
                                    + "the Kafka → HTTP bridge alone, only BERTH_BRIDGE_PATH)"));
        }
        if (runs) {
            credentials(port, "Berth needs Port API credentials to report runs (Port: Settings > Credentials)",
                    "Berth needs it to report runs, verify signatures and decrypt secret inputs", problems);
        }
        if (!runs && !triggersDeclared && !bridgeDeclared) {
            problems.add("BERTH_RUNS_ENABLED=false and neither BERTH_TRIGGERS_PATH nor BERTH_BRIDGE_PATH is set: Berth would "
                    + "consume nothing; "
                    + "set BERTH_TRIGGERS_PATH or BERTH_BRIDGE_PATH, or BERTH_RUNS_ENABLED=true");
        }
        // The bridge's file may name its brokers: the bridge checks its own (BridgeStartupCheck).
        if (!runs && triggersDeclared && kafka.brokers().or(kafka.consumer()::bootstrapServers).filter(b -> !b.isBlank()).isEmpty()
                && (port.clientId().filter(id -> !id.isBlank()).isEmpty()
                        || port.clientSecret().filter(secret -> !secret.isBlank()).isEmpty())) {
            problems.add("KAFKA_BROKERS is not set: set it to the brokers the triggers consume, e.g. "
                    + "KAFKA_BROKERS=kafka:9092 (Berth fetches brokers from Port only with PORT_CLIENT_ID and "
                    + "PORT_CLIENT_SECRET)");
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
                && !consumer.groupId().get().equals(KafkaSecurity.of(kafka).username().orElse(null))) {
            problems.add("KAFKA_CONSUMER_GROUP_ID '" + consumer.groupId().get() + "' must start with '" + org
                    + ".' (Port's brokers refuse other groups), e.g. KAFKA_CONSUMER_GROUP_ID=" + org + ".berth");
        }
        if (berth.kafka().groupProtocol() == GroupProtocol.CONSUMER && consumer.sessionTimeoutMs().isPresent()) {
            problems.add("KAFKA_CONSUMER_SESSION_TIMEOUT_MS cannot be used with BERTH_KAFKA_GROUP_PROTOCOL=consumer "
                    + "(the new protocol takes the session timeout from the broker's group.consumer.session.timeout.ms): "
                    + "unset one of them (BERTH_KAFKA_GROUP_PROTOCOL=auto keeps the classic protocol when it is set)");
        }
        // Port's brokers (none named) are reached over SASL_SSL unless a protocol is set.
        problems.addAll(KafkaSecurity.of(kafka).problems(brokers.or(() -> bootstrap).isPresent() ? "PLAINTEXT" : "SASL_SSL"));
        if (offsetReset(consumer.autoOffsetReset()) == null) {
            problems.add("KAFKA_CONSUMER_AUTO_OFFSET_RESET must be earliest, latest (or port-agent's smallest, "
                    + "largest), was '" + consumer.autoOffsetReset() + "'");
        }
        runs(berth.runs(), problems);
        BerthSettings.Port portCalls = berth.port();
        positive("BERTH_PORT_TIMEOUT", portCalls.timeout(), "10s", problems);
        notNegative("BERTH_PORT_TOKEN_REFRESH_MARGIN", portCalls.tokenRefreshMargin(), "5m", problems);
        retry("BERTH_PORT_RETRY_", portCalls.retry(), problems);
        retry("BERTH_WEBHOOK_RETRY_", berth.webhook().retry(), problems);
        atLeast("BERTH_WEBHOOK_MAX_ANSWER_BYTES", berth.webhook().maxAnswerBytes(), 1,
                "1048576 (the largest body Port accepts)", problems);
        atLeast("BERTH_WEBHOOK_MAX_REDIRECTS", berth.webhook().maxRedirects(), 0, "10 (0 follows none)", problems);
        return problems;
    }

    /**
     * The Port settings of triggers whose target is a Port action: Berth starts those runs with
     * Port's API, so it needs {@code PORT_CLIENT_ID} and {@code PORT_CLIENT_SECRET} (not
     * {@code PORT_ORG_ID}, which names the runs topic).
     *
     * @param triggerIds the triggers with a {@code port_action} target
     */
    public static List<String> forPortActions(PortSettings port, List<String> triggerIds) {
        List<String> problems = new ArrayList<>();
        if (!triggerIds.isEmpty()) {
            String why = "to start the Port action runs of trigger" + (triggerIds.size() == 1 ? " '" : "s '")
                    + String.join("', '", triggerIds) + "' (target port_action)";
            credentials(port, "Berth needs Port API credentials " + why + " (Port: Settings > Credentials)",
                    "Berth needs it " + why, problems);
        }
        return problems;
    }

    private static void credentials(PortSettings port, String idNeededBecause, String secretNeededBecause,
            List<String> problems) {
        if (port.clientId().filter(id -> !id.isBlank()).isEmpty()) {
            problems.add("PORT_CLIENT_ID is not set: " + idNeededBecause);
        }
        if (port.clientSecret().filter(secret -> !secret.isBlank()).isEmpty()) {
            problems.add("PORT_CLIENT_SECRET is not set: " + secretNeededBecause);
        }
    }

    /** The bounds a Kafka broker puts on a session timeout by default (group.min/max.session.timeout.ms). */
    static final int MIN_SESSION_TIMEOUT_MS = 6_000;
    static final int MAX_SESSION_TIMEOUT_MS = 1_800_000;

    /** port-agent's process settings ({@link PortAgentSettings}) and the Kafka ones they depend on. */
    public static List<String> ofPortAgent(PortAgentSettings agent, KafkaSettings kafka) {
        List<String> problems = new ArrayList<>();
        agent.logLevel().filter(level -> !level.isBlank() && LogLevelSource.jbossLevel(level).isEmpty())
                .ifPresent(level -> problems.add("LOG_LEVEL must be one of " + LogLevelSource.accepted() + ", was '"
                        + level + "': set e.g. LOG_LEVEL=INFO"));
        kafka.consumer().sessionTimeoutMs()
                .filter(timeout -> timeout < MIN_SESSION_TIMEOUT_MS || timeout > MAX_SESSION_TIMEOUT_MS)
                .ifPresent(timeout -> problems.add("KAFKA_CONSUMER_SESSION_TIMEOUT_MS must be between "
                        + MIN_SESSION_TIMEOUT_MS + " and " + MAX_SESSION_TIMEOUT_MS + " (the range a broker accepts "
                        + "by default), was " + timeout + ": set e.g. KAFKA_CONSUMER_SESSION_TIMEOUT_MS=45000"));
        boolean brokers = kafka.brokers().or(kafka.consumer()::bootstrapServers).filter(b -> !b.isBlank()).isPresent();
        if (agent.localPortInstance() && !brokers) {
            problems.add("USING_LOCAL_PORT_INSTANCE=true needs KAFKA_CONSUMER_BOOTSTRAP_SERVERS (or KAFKA_BROKERS): "
                    + "a local Port instance issues no Kafka credentials, so Berth does not ask it for brokers");
        }
        agent.agentEnvironments().filter(environments -> !environments.isBlank())
                .ifPresent(environments -> problems.add("AGENT_ENVIRONMENTS is not supported (port-agent 0.8.10 "
                        + "does not read it either) and Berth would run every environment's runs: unset it, and "
                        + "select runs with the mapping file's enabled expressions or a consumer group per agent"));
        return problems;
    }

    /** port-agent's webhook settings. */
    public static List<String> of(WebhookSettings webhook) {
        List<String> problems = new ArrayList<>();
        positive("WEBHOOK_INVOKER_TIMEOUT", webhook.invokerTimeout(), "30", problems);
        return problems;
    }

    private static void runs(BerthSettings.Runs runs, List<String> problems) {
        atLeast("BERTH_RUNS_CONCURRENCY", runs.concurrency(), 1, "64", problems);
        atLeast("BERTH_RUNS_RECENT_RUNS_MEMORY", runs.recentRunsMemory(), 1, "100000", problems);
        // Below a kilobyte every run would be dead-lettered: no run record is that small.
        atLeast("BERTH_RUNS_MAX_RECORD_BYTES", runs.maxRecordBytes(), 1024, "1048576", problems);
        if (runs.maxInFlightBytes().isPresent()) {
            atLeast("BERTH_RUNS_MAX_IN_FLIGHT_BYTES", runs.maxInFlightBytes().getAsLong(), 1, "67108864 (unset: a "
                    + "tenth of the heap)", problems);
        }
        notNegative("BERTH_RUNS_SHUTDOWN_GRACE", runs.shutdownGrace(), "20s", problems);
        notNegative("BERTH_RUNS_REVOCATION_DRAIN", runs.revocationDrain(), "20s", problems);
        positive("BERTH_RUNS_HANDLER_TIMEOUT", runs.handlerTimeout(), "15m", problems);
    }

    /** A capability's own retry settings, e.g. {@code prefix} {@code BERTH_CHANGELOG_RETRY_}. */
    public static List<String> ofRetry(String prefix, RetrySettings retry) {
        List<String> problems = new ArrayList<>();
        retry(prefix, retry, problems);
        return problems;
    }

    /** The rules {@link io.berth.retry.RetryPolicy} enforces when built, checked before anything runs. */
    private static void retry(String prefix, RetrySettings retry, List<String> problems) {
        positive(prefix + "INITIAL_DELAY", retry.initialDelay(), "200ms", problems);
        if (!(retry.multiplier() >= 1)) {
            problems.add(prefix + "MULTIPLIER must be at least 1 (1 keeps the delay constant), was "
                    + retry.multiplier() + ": set e.g. " + prefix + "MULTIPLIER=2");
        }
        if (!(retry.randomizationFactor() >= 0 && retry.randomizationFactor() < 1)) {
            problems.add(prefix + "RANDOMIZATION_FACTOR must be at least 0 and below 1, was "
                    + retry.randomizationFactor() + ": set e.g. " + prefix + "RANDOMIZATION_FACTOR=0.3");
        }
        if (retry.maxDelay().compareTo(retry.initialDelay()) < 0) {
            problems.add(prefix + "MAX_DELAY (" + retry.maxDelay() + ") must not be shorter than " + prefix
                    + "INITIAL_DELAY (" + retry.initialDelay() + ")");
        }
        atLeast(prefix + "MAX_ATTEMPTS", retry.maxAttempts(), 1, "10 (1 means no retry)", problems);
        positive(prefix + "MAX_DURATION", retry.maxDuration(), "2m", problems);
    }

    /**
     * A revocation's drain ({@code variable}) and its commit must end within the consumer's
     * {@code max.poll.interval.ms}: past it the group takes the partitions anyway and the consumer is
     * thrown out of it.
     */
    public static List<String> ofRevocationDrain(String variable, Duration drain, Duration commitTimeout,
            long maxPollIntervalMs) {
        if (drain.plus(commitTimeout).toMillis() < maxPollIntervalMs) {
            return List.of();
        }
        return List.of(variable + " (" + drain + ") plus " + commitTimeout.toSeconds() + " s for the commit must "
                + "stay below the consumer's max.poll.interval.ms (" + maxPollIntervalMs + " ms): shorten " + variable
                + ", e.g. " + variable + "=20s, or raise max.poll.interval.ms");
    }

    private static void atLeast(String variable, long value, long minimum, String example, List<String> problems) {
        if (value < minimum) {
            problems.add(variable + " must be at least " + minimum + ", was " + value + ": set e.g. " + variable + "="
                    + example);
        }
    }

    private static void positive(String variable, Duration value, String example, List<String> problems) {
        if (value.isNegative() || value.isZero()) {
            problems.add(variable + " must be longer than zero, was " + value + ": set e.g. " + variable + "="
                    + example);
        }
    }

    private static void notNegative(String variable, Duration value, String example, List<String> problems) {
        if (value.isNegative()) {
            problems.add(variable + " must not be negative, was " + value + ": set e.g. " + variable + "=" + example);
        }
    }
}
