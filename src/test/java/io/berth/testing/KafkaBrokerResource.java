package io.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Exit;

import io.berth.dev.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * One real Kafka broker ({@link EmbeddedKafka}) for the whole test JVM, shared by every test class
 * that names this resource. Topics {@code org_test.runs} and {@code org_test.change.log} (3 partitions
 * each) and their {@code .dlq} topics (1 partition) exist before the application starts.
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
 * class RunsIT {
 *     @Test
 *     void consumesARun() {
 *         KafkaBrokerResource.companion().produceStrings()
 *                 .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, "r_1", json));
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #stop()} does nothing: the broker outlives Quarkus restarts between test classes and is
 * closed by a JVM shutdown hook. Quarkus may load this class in more than one class loader, so the
 * broker's address is also kept in the system property {@value #BOOTSTRAP_PROPERTY}: a second copy
 * of this class reuses the broker instead of starting another.
 */
public final class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final String ORG_ID = "org_test";
    public static final String RUNS_TOPIC = ORG_ID + ".runs";
    public static final String DEAD_LETTER_TOPIC = ORG_ID + ".runs.dlq";
    public static final String CHANGE_LOG_TOPIC = ORG_ID + ".change.log";
    public static final String CHANGE_LOG_DEAD_LETTER_TOPIC = ORG_ID + ".change.log.dlq";

    static final String BOOTSTRAP_PROPERTY = "berth.test.kafka.bootstrap-servers";

    private static final List<String> BROKER_LOG_CATEGORIES = List.of("kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.raft", "org.apache.kafka.controller",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.queue",
            "org.apache.kafka.storage", "org.apache.kafka.coordinator", "org.apache.kafka.security",
            "org.apache.kafka.network", "org.apache.kafka.snapshot");
    private static final List<Logger> QUIETENED = new ArrayList<>();
    /**
     * A member that stops heartbeating (a jar test's SIGKILL) leaves its group's partitions after 15 s
     * rather than Kafka's 45: the member started in its place waits that long for them, whatever the
     * test holds it to. Heartbeats every 3 s, so a loaded machine still misses four before a live
     * member is taken for dead. Consumer group protocol (KIP-848), the one Berth's consumers use.
     */
    static final Map<String, String> QUICKER_EXPIRY = Map.of(
            "group.consumer.session.timeout.ms", "15000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "3000",
            "group.consumer.min.heartbeat.interval.ms", "1000");

    private static String bootstrapServers;
    private static KafkaCompanion companion;

    @Override
    public Map<String, String> start() {
        String servers = bootstrapServers();
        return Map.of(
                "kafka.brokers", servers,
                "kafka.bootstrap.servers", servers,
                "port.org-id", ORG_ID);
    }

    @Override
    public void stop() {
        // Shared by every test class: closed by the shutdown hook.
    }

    /** The shared broker's {@code host:port}, starting it (and creating the test topics) on first use. */
    public static String bootstrapServers() {
        synchronized (System.class) { // one lock for every class loader that holds a copy of this class
            if (bootstrapServers == null) {
                String running = System.getProperty(BOOTSTRAP_PROPERTY);
                bootstrapServers = running != null ? running : startBroker();
            }
            return bootstrapServers;
        }
    }

    /**
     * A companion on the shared broker, to produce and consume in tests (e.g.
     * {@code companion().consumeStrings().fromTopics(DEAD_LETTER_TOPIC, 1).awaitCompletion()}).
     * Shared: do not close it.
     */
    public static synchronized KafkaCompanion companion() {
        if (companion == null) {
            companion = new KafkaCompanion(bootstrapServers());
            KafkaCompanion created = companion;
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "kafka-companion-close"));
        }
        return companion;
    }

    /**
     * Creates a topic on the shared broker and waits until it is served. Plain Admin calls: safe in a
     * test resource's {@code start()}, where the companion's context propagation is not set up yet.
     */
    public static void createTopic(String name, int partitions) {
        EmbeddedKafka.createTopic(bootstrapServers(), name, partitions);
    }

    private static String startBroker() {
        quietenBrokerLogs();
        long started = System.nanoTime();
        // One directory per JVM: forks running side by side must not format each other's data.
        Path dataDir = Path.of("target", "embedded-kafka", String.valueOf(ProcessHandle.current().pid()));
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir, 0, Map.of(), QUICKER_EXPIRY);
        Runtime.getRuntime().addShutdownHook(closingAtExit("embedded-kafka-close", broker, () -> deleteQuietly(dataDir)));
        broker.createTopic(RUNS_TOPIC, 3);
        broker.createTopic(DEAD_LETTER_TOPIC, 1);
        broker.createTopic(CHANGE_LOG_TOPIC, 3);
        broker.createTopic(CHANGE_LOG_DEAD_LETTER_TOPIC, 1);
        System.setProperty(BOOTSTRAP_PROPERTY, broker.bootstrapServers());
        System.out.printf("Embedded Kafka at %s ready in %d ms%n",
                broker.bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
        return broker.bootstrapServers();
    }

    /**
     * A shutdown hook that closes a test broker, then runs {@code then}. Kafka meets a fault it calls
     * fatal by halting the JVM ({@code Exit.halt(1)}); in a test JVM already exiting after its tests,
     * that replaces the exit status the tests earned, and the build fails with all tests passed
     * ("Error occurred in starting fork", the broker's data directory left half closed). While the
     * hook runs, such a request is a line on stderr instead.
     */
    static Thread closingAtExit(String name, EmbeddedKafka broker, Runnable then) {
        return new Thread(() -> {
            Exit.Procedure report = (status, message) -> System.err.printf(
                    "%s: Kafka asked to stop the JVM (status %d: %s) while the test broker shut down; ignored%n",
                    name, status, message);
            Exit.setHaltProcedure(report);
            Exit.setExitProcedure(report);
            broker.close();
            then.run();
        }, name);
    }

    /** The broker's own INFO lines drown the tests' output; clients' logs keep their level. */
    static void quietenBrokerLogs() {
        for (String category : BROKER_LOG_CATEGORIES) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(Level.WARNING);
            QUIETENED.add(logger); // JUL holds loggers weakly: keep them, or the level is lost
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // target/ is cleaned by the build anyway
        }
    }
}
