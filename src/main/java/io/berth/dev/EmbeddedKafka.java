package io.berth.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real, single-node Apache Kafka broker (KRaft, broker and controller in one process) running
 * inside this JVM: for tests and, later, dev mode. No Docker, no ZooKeeper.
 *
 * <pre>
 *   start(dataDir, port)
 *     ├─ pick ports: PLAINTEXT (given or free), CONTROLLER (free)
 *     ├─ format dataDir/logs   (metadata.storage.Formatter: what kafka-storage.sh format does)
 *     └─ KafkaRaftServer.startup()   returns once the broker is unfenced and serving
 * </pre>
 *
 * <p><b>Never in the packaged application.</b> {@code org.apache.kafka:kafka_2.13} is a
 * {@code provided} dependency: it is on the class path at compile time, in tests and in dev mode,
 * but not in the built application. Nothing in the running service may refer to this class; only
 * code that is itself dev- or test-only may load it.
 *
 * <p>Not a CDI bean: whoever starts a broker owns it and must {@link #close()} it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Map<String, Integer> listenerPorts;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Map<String, Integer> listenerPorts) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.listenerPorts = listenerPorts;
    }

    /**
     * Formats {@code dataDir} (a fresh cluster each time: anything already there is deleted) and
     * starts a broker listening on {@code 127.0.0.1:port}; {@code port} 0 picks a free port.
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, Map.of(), Map.of());
    }

    /**
     * {@link #start(Path, int)} with more listeners, each on a free port of 127.0.0.1 (tests of
     * secured clients: an {@code SASL_SSL} or {@code SSL} listener beside PLAINTEXT, which stays the
     * inter-broker one and the one {@link #bootstrapServers()} names).
     *
     * @param extraListeners listener name to security protocol, e.g. {@code "SECURED" -> "SASL_SSL"}
     * @param extraSettings what those listeners need: {@code listener.name.secured.*}, {@code ssl.*},
     *        {@code sasl.enabled.mechanisms}, ...
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> extraListeners,
            Map<String, String> extraSettings) {
        try {
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Map<String, Integer> listenerPorts = new java.util.LinkedHashMap<>();
            for (String name : extraListeners.keySet()) {
                listenerPorts.put(name, freePort());
            }
            Path logDir = dataDir.toAbsolutePath().resolve("logs");
            deleteRecursively(logDir);
            Files.createDirectories(logDir);

            Properties settings = settings(logDir, brokerPort, controllerPort);
            listenerPorts.forEach((name, listenerPort) -> {
                String address = name + "://127.0.0.1:" + listenerPort;
                settings.put("listeners", settings.get("listeners") + "," + address);
                settings.put("advertised.listeners", settings.get("advertised.listeners") + "," + address);
                settings.put("listener.security.protocol.map",
                        settings.get("listener.security.protocol.map") + "," + name + ":" + extraListeners.get(name));
            });
            settings.putAll(extraSettings);
            KafkaConfig config = new KafkaConfig(settings, false);
            format(config, logDir);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                server.shutdown();
                throw e;
            }
            return new EmbeddedKafka(server, "127.0.0.1:" + brokerPort, Map.copyOf(listenerPorts));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Kafka data directory " + dataDir, e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code host:port} of a listener given to {@link #start(Path, int, Map, Map)}. */
    public String listenerAddress(String name) {
        return "127.0.0.1:" + listenerPorts.get(name);
    }

    /** Creates a topic (replication factor 1) and waits until it exists; an existing topic is left as it is. */
    public void createTopic(String name, int partitions) {
        createTopic(bootstrapServers, name, partitions);
    }

    /** {@link #createTopic(String, int)} on the broker at {@code bootstrapServers}. */
    public static void createTopic(String bootstrapServers, String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()))) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + name, e.getCause());
                }
            }
            // Created in the controller's metadata; wait until the broker serves it too. Until it
            // does, describing the topic fails with UnknownTopicOrPartition: ask again.
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (true) {
                try {
                    admin.describeTopics(List.of(name)).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot create topic " + name, e);
        }
    }

    /** Stops the broker and waits until it has shut down. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.shutdown();
            server.awaitShutdown();
        }
    }

    private static Properties settings(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica; few partitions start faster.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "true");
        // Small and light: tests write little.
        p.put("log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("controlled.shutdown.enable", "false");
        return p;
    }

    /** What {@code kafka-storage.sh format --standalone=false -t <random id>} does, for one node. */
    private static void format(KafkaConfig config, Path logDir) {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir.toString())
                .setMetadataLogDirectory(config.metadataLogDir())
                .setControllerListenerName(config.controllerListenerNames().get(0))
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setIgnoreFormatted(false);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
