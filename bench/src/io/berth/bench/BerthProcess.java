package io.berth.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The production jar ({@code target/quarkus-app/quarkus-run.jar}) as a child process, configured
 * through port-agent's environment variables, as a user runs it.
 */
final class BerthProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How the JVM is started: which java, and which extra options (AppCDS, AOT cache, JFR). */
    record Jvm(String name, String java, List<String> options) {
        Jvm with(String... more) {
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of(more));
            return new Jvm(name, java, all);
        }
    }

    static final String HEAP = "-Xmx256m";

    /**
     * The memory options every Berth of the run starts with: {@link #HEAP} unless
     * {@code bench/run --berth-jvm-options "…"} gives others (a container image's, say).
     */
    static volatile List<String> memoryOptions = List.of(HEAP);

    final Process process;
    final long startedNanos;
    /** The same instant on the wall clock, which Berth's log timestamps use (StartTimeline). */
    final long startedEpochMillis;
    final int httpPort;

    private BerthProcess(Process process, long startedNanos, long startedEpochMillis, int httpPort) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.startedEpochMillis = startedEpochMillis;
        this.httpPort = httpPort;
    }

    static BerthProcess start(Jvm jvm, Map<String, String> env, Path log) {
        return start(jvm, JAR, env, log, memoryOptions);
    }

    /** {@code jar}: another build's quarkus-run.jar (HandlersCost's build without the example handlers). */
    static BerthProcess start(Jvm jvm, Path jar, Map<String, String> env, Path log) {
        return start(jvm, jar, env, log, memoryOptions);
    }

    /** {@code memory}: this process's memory options instead of {@link #memoryOptions} (the image's, say). */
    static BerthProcess start(Jvm jvm, Path jar, Map<String, String> env, Path log, List<String> memory) {
        try {
            int httpPort = freePort();
            List<String> command = new ArrayList<>();
            command.add(jvm.java());
            // The heap a container gives Berth (deploy/kubernetes: 384 MiB limit): without a cap, G1
            // on a 24 GiB machine lets garbage pile up and "flat memory" would measure the GC, not Berth.
            command.addAll(memory);
            command.addAll(jvm.options());
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
            long startedMillis = System.currentTimeMillis();
            long started = System.nanoTime();
            return new BerthProcess(builder.start(), started, startedMillis, httpPort);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + jar, e);
        }
    }

    /** Polls /q/health/ready every 5 ms; the time from process start until it answered 200. */
    Duration awaitReady(Duration within, Path log) {
        long deadline = System.nanoTime() + within.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(1)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Berth exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(5);
        }
        throw new IllegalStateException("Berth not ready within " + within + "; see " + log);
    }

    /** VmRSS of the child, in MiB. */
    double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** CPU time the child has used (user + system), in seconds; ticks of 1/100 s as Linux reports them. */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /** CPU time (user + system) process {@code pid} has used, in seconds; NaN once it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU time of the child's threads other than the JIT compilers', in seconds: on a loaded machine
     * a short run is mostly warm-up, and compiling is not what a run costs once warm.
     */
    double cpuSecondsWithoutJit() {
        return cpuSecondsWithoutJit(process.pid());
    }

    /** {@link #cpuSecondsWithoutJit()} of any JVM process (the bare bridge's). */
    static double cpuSecondsWithoutJit(long pid) {
        double sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        continue;
                    }
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                } catch (IOException | RuntimeException threadGone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return sum;
    }

    /**
     * CPU time of the child's threads by kind, in seconds: thread names with their numbers folded
     * ({@code vert.x-eventloop-thread-#}, {@code C2 CompilerThread#}, ...), so that a run's cost can be
     * split between the event loops, the Kafka clients, the garbage collector and the JIT.
     */
    Map<String, Double> cpuSecondsByThread() {
        return cpuSecondsByThread(process.pid());
    }

    /** {@link #cpuSecondsByThread()} of any JVM process (the bare bridge's). */
    static Map<String, Double> cpuSecondsByThread(long pid) {
        Map<String, Double> byKind = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byKind.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0, Double::sum);
                } catch (IOException | RuntimeException threadGone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byKind;
    }

    /** Bytes the JVM allocated so far (Micrometer's jvm_gc_memory_allocated_bytes_total: counted at each GC). */
    double allocatedBytes() {
        return metric("jvm_gc_memory_allocated_bytes_total");
    }

    /** Records Berth has taken and not yet finished, every capability (its berth_records_in_flight gauges). */
    double recordsInFlight() {
        return metricSum(line -> line.startsWith("berth_records_in_flight{"));
    }

    /** The sum of the Prometheus samples whose lines {@code selected} accepts; NaN when Berth does not answer. */
    private double metricSum(Predicate<String> selected) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            for (String line : metrics.split("\n")) {
                if (selected.test(line)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private double metric(String name) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** Heap in use, in MiB, from Berth's own Prometheus endpoint (jvm_memory_used_bytes, area heap). */
    double heapUsedMiB() {
        return metricSum(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                / (1024 * 1024);
    }

    /** SIGTERM, as a platform stops it; waits for the exit (an AppCDS or AOT archive is written then). */
    @Override
    public void close() {
        stop(process, Duration.ofSeconds(60));
    }

    /** SIGTERM, then SIGKILL if {@code process} has not exited within {@code grace}. */
    static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
