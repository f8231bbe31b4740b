package io.berth.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Whether each set of brokers answers and each topic Berth would use exists, with an admin client
 * only: nothing joins a consumer group, nothing is written. Every call is bounded by
 * {@code timeout}; brokers that do not answer within it are one FAIL line, and their topics are not
 * asked about.
 */
final class KafkaCheck {

    /** How long Berth's brokers may take to come from Port ({@code GET /v1/kafka-credentials}, with its retries). */
    static final Duration PORT_BROKERS_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<Map<String, Object>> berthConnection;
    private final Function<String, Map<String, Object>> connectionTo;
    private final Duration timeout;

    /**
     * @param berthConnection Berth's own connection (may fetch the brokers from Port; throws when it cannot)
     * @param connectionTo the connection to brokers a file names, with Berth's TLS and SASL settings
     */
    KafkaCheck(Supplier<Map<String, Object>> berthConnection, Function<String, Map<String, Object>> connectionTo,
            Duration timeout) {
        this.berthConnection = berthConnection;
        this.connectionTo = connectionTo;
        this.timeout = timeout;
    }

    List<Check> check(List<TopicUse> uses) {
        Map<Optional<String>, List<TopicUse>> byBrokers = new LinkedHashMap<>();
        uses.forEach(use -> byBrokers.computeIfAbsent(use.brokers(), brokers -> new ArrayList<>()).add(use));
        List<Check> checks = new ArrayList<>();
        byBrokers.forEach((brokers, used) -> checks.addAll(check(brokers, used)));
        return checks;
    }

    private List<Check> check(Optional<String> brokers, List<TopicUse> uses) {
        Map<String, Object> connection;
        try {
            connection = brokers.isPresent() ? connectionTo.apply(brokers.get())
                    : CompletableFuture.supplyAsync(berthConnection).get(PORT_BROKERS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return List.of(Check.fail("kafka", "KAFKA_BROKERS is not set and Port gave no Kafka credentials within "
                    + PORT_BROKERS_TIMEOUT.toSeconds() + " s: set KAFKA_BROKERS, or check PORT_API_BASE_URL, "
                    + "PORT_CLIENT_ID and PORT_CLIENT_SECRET"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(Check.fail("kafka", "interrupted"));
        } catch (ExecutionException | RuntimeException failure) {
            Throwable e = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
            // The settings' own lines name what to fix; this says what it stops.
            return List.of(Check.fail("kafka", "no connection to " + brokers.orElse("Berth's brokers") + ": "
                    + String.valueOf(e.getMessage()).replaceFirst("^Berth cannot start:\\s*", "")));
        }
        String servers = String.valueOf(connection.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        List<Check> checks = new ArrayList<>();
        Admin admin = Admin.create(adminConfig(connection));
        try {
            int nodes;
            try {
                nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            } catch (ExecutionException | TimeoutException e) {
                checks.add(Check.fail("kafka", servers + " not reachable within " + timeout.toSeconds() + " s ("
                        + cause(e) + "): check " + (brokers.isPresent() ? "the file's brokers" : "KAFKA_BROKERS")
                        + " and the KAFKA_CONSUMER_SECURITY_PROTOCOL, _AUTHENTICATION_MECHANISM, _USERNAME and "
                        + "_PASSWORD settings"));
                return checks;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of(Check.fail("kafka", "interrupted"));
            }
            checks.add(Check.ok("kafka", servers + " reachable (" + nodes + " broker" + (nodes == 1 ? "" : "s") + ")"));
            Map<String, Set<String>> usesByTopic = new LinkedHashMap<>();
            uses.forEach(use -> usesByTopic.computeIfAbsent(use.topic(), topic -> new LinkedHashSet<>()).add(use.use()));
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(usesByTopic.keySet())
                    .topicNameValues();
            usesByTopic.forEach((topic, used) -> checks.add(topic(topic, String.join(", ", used), servers,
                    described.get(topic))));
        } finally {
            admin.close(timeout);
        }
        return checks;
    }

    private Check topic(String topic, String uses, String servers, KafkaFuture<TopicDescription> description) {
        String subject = "topic " + topic;
        try {
            int partitions = description.get(timeout.toMillis(), TimeUnit.MILLISECONDS).partitions().size();
            return Check.ok(subject, "exists, " + partitions + " partition" + (partitions == 1 ? "" : "s") + " ("
                    + uses + ")");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Check.fail(subject, "does not exist on " + servers + " (" + uses + "): create it, e.g. "
                        + "kafka-topics.sh --bootstrap-server " + servers + " --create --topic " + topic
                        + ", or correct the name");
            }
            if (e.getCause() instanceof TopicAuthorizationException) {
                return Check.fail(subject, "not authorized to describe it on " + servers + " (" + uses + "): grant "
                        + "the Kafka user DESCRIBE (and READ or WRITE) on it");
            }
            return Check.fail(subject, "could not be described (" + cause(e) + ")");
        } catch (TimeoutException e) {
            return Check.fail(subject, "no answer from " + servers + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(subject, "interrupted");
        }
    }

    private Map<String, Object> adminConfig(Map<String, Object> connection) {
        Map<String, Object> config = new HashMap<>();
        // Only what an admin client takes: the connection's bootstrap servers, TLS and SASL settings.
        connection.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        int millis = (int) timeout.toMillis();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "berth-validate");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return config;
    }

    private static String cause(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
