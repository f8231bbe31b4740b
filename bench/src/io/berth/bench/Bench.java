package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.berth.dev.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Berth against the limits of this machine. Started by {@code bench/run} (see bench/README.md).
 *
 * <pre>
 *  this JVM: KRaft broker ─ Port stub (Vert.x, latency) ─ HTTP sink ─ producer ─ measurements
 *  child:    java -jar target/quarkus-app/quarkus-run.jar   (one per scenario, fresh topic and group)
 *  1 limits ─ 2 headline (Port 0/20 ms × concurrency 1/64) ─ 3 scaling ─ 4 memory vs in flight
 *  ─ 5 webhook pool ─ 6 start-up (JDK 17, AppCDS, JDK 25, AOT cache) ─ 7 JFR profile ─ 8 sustained
 *  (and, after the limits, group joins with the classic and the consumer protocol: GroupJoin)
 *  first: the Kafka → HTTP bridge against kafka-hooks on one file (BridgeBench; --only-bridge: nothing else)
 *  after the group joins: Port calls per run shape (RunShapes; --only-shapes: nothing else)
 *  --only-handlers-cost: the inactive example handlers against a build without them (HandlersCost), nothing else
 * </pre>
 *
 * {@code --smoke}: the bridge on 5,000 records, limits, one scenario and one start-up, a few seconds each; exits 1
 * if a number is missing or the bridge lost or duplicated a record.
 */
public final class Bench {

    static final String ORG = "org_bench";
    static final Path WORK = Path.of("target/bench/work");

    final boolean smoke;
    final boolean bridgeOnly;
    final boolean shapesOnly;
    final boolean profileOnly;
    final boolean memoryOnly;
    final boolean handlersCostOnly;
    final int sustainMinutes;
    final Path reports;
    final EmbeddedKafka kafka;
    final PortStub port;
    final Sink sink;
    final RecordSink bridgeSink;
    final KafkaProducer<String, String> producer;
    final Load load;
    final Path mapping;
    final Results results = new Results();
    private int scenarioCount;

    /** Everything measured, for the report. */
    static final class Results {
        final Map<String, String> machine = new LinkedHashMap<>();
        double consumerRate;
        double portStubRate;
        double sinkRate;
        final List<Load.Result> headline = new ArrayList<>();
        final List<Load.Result> scaling = new ArrayList<>();
        final List<Load.Result> memory = new ArrayList<>();
        final List<Load.Result> webhookPool = new ArrayList<>();
        final List<Startup> startup = new ArrayList<>();
        Profile.Summary profile;
        Load.Result profiled;
        Sustained sustained;
        final List<RunShapes.Result> shapes = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
    }

    record Startup(String mode, String status, double readyMs, double firstRunMs, double idleRssMiB, int trials) {
    }

    record Sample(double minute, double rssMiB, double heapMiB) {
    }

    record Sustained(Load.Result load, List<Sample> samples, long tokenCalls, long tokenLifetimeSeconds,
            long refreshMarginSeconds, double minutes) {
    }

    Bench(boolean smoke, boolean bridgeOnly, boolean shapesOnly, boolean profileOnly, boolean memoryOnly,
            boolean handlersCostOnly, int sustainMinutes, Path reports) throws IOException {
        this.memoryOnly = memoryOnly;
        this.smoke = smoke;
        this.bridgeOnly = bridgeOnly;
        this.shapesOnly = shapesOnly;
        this.profileOnly = profileOnly;
        this.handlersCostOnly = handlersCostOnly;
        this.sustainMinutes = sustainMinutes;
        this.reports = reports;
        Files.createDirectories(WORK);
        this.kafka = EmbeddedKafka.start(WORK.resolve("kafka"), 0);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        this.port = PortStub.start(vertx);
        this.sink = Sink.start(vertx);
        this.bridgeSink = RecordSink.start(vertx, 2);
        this.mapping = WORK.resolve("mapping.json");
        // port-agent's plain webhook mapping: every run goes to its invocation method's url.
        Files.writeString(mapping, "[{\"enabled\": true}]\n");
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(),
                new StringSerializer());
        this.load = new Load(producer, port, sink.url());
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        boolean bridgeOnly = false;
        boolean shapesOnly = false;
        boolean profileOnly = false;
        boolean memoryOnly = false;
        boolean handlersCostOnly = false;
        int sustain = 10;
        Path reports = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--only-bridge" -> bridgeOnly = true;
                case "--only-shapes" -> shapesOnly = true;
                case "--only-profile" -> profileOnly = true;
                case "--only-memory" -> memoryOnly = true;
                case "--only-handlers-cost" -> handlersCostOnly = true;
                case "--berth-jvm-options" -> BerthProcess.memoryOptions = List.of(args[++i].trim().split("\\s+"));
                case "--sustain-minutes" -> sustain = Integer.parseInt(args[++i]);
                case "--out" -> reports = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: bench/run [--smoke] [--only-bridge | --only-shapes | --only-profile | --only-memory"
                            + " | --only-handlers-cost] [--berth-jvm-options \"-Xmx64m …\"] [--sustain-minutes N] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        if (reports == null) {
            // Smoke reports are throwaway: kept out of the tree.
            reports = Path.of(smoke ? "target/bench/reports" : "bench/reports");
        }
        int exit = 1;
        try {
            Bench bench = new Bench(smoke, bridgeOnly, shapesOnly, profileOnly, memoryOnly, handlersCostOnly, sustain,
                    reports);
            try {
                exit = bench.runAll();
            } finally {
                bench.producer.close(Duration.ofSeconds(5));
                bench.kafka.close();
            }
        } catch (Throwable failure) {
            failure.printStackTrace();
        } finally {
            // Vert.x and Kafka threads are not daemons: without this a failed run would linger.
            System.exit(exit);
        }
    }

    int runAll() throws Exception {
        long began = System.nanoTime();
        Machine.describe(results.machine);
        if (shapesOnly) {
            section("Port calls per run shape");
            return RunShapes.measure(this, smoke ? 20 : 200).stream().allMatch(s -> s.callsPerRun() > 0) ? 0 : 1;
        }
        if (profileOnly) {
            return profileAndCpu();
        }
        if (memoryOnly) {
            return memoryWithOptions();
        }
        if (handlersCostOnly) {
            // Five starts of each build (one in smoke mode): a few minutes, never part of --smoke alone.
            section("inactive example handlers against a build without them");
            return new HandlersCost(this, smoke ? 1 : 5).run(reports, results.machine);
        }
        int bridge = bridge();
        if (bridgeOnly) {
            return bridge;
        }
        section("limits");
        results.consumerRate = Limits.consumerRate(kafka.bootstrapServers(), producer, topic(3), smoke ? 20_000 : 200_000,
                sink.url());
        Duration raw = Duration.ofSeconds(smoke ? 1 : 4);
        String bearer = "Bearer " + port.issueTokenDirectly();
        results.portStubRate = Limits.httpRate(port.port(), "/v1/actions/runs/r_raw/logs", bearer,
                "{\"message\":\"Webhook POST http://127.0.0.1/hook answered 200 in 1 ms\"}", 64, raw);
        results.sinkRate = Limits.httpRate(sink.port(), "/hook", null, Load.runMessage("r_raw", "e", sink.url()), 64, raw);
        System.out.printf("  consumer %.0f records/s, Port stub %.0f req/s, sink %.0f req/s%n", results.consumerRate,
                results.portStubRate, results.sinkRate);

        section("group protocols");
        for (String protocol : List.of("classic", "consumer")) {
            GroupJoin.Result joined = GroupJoin.measure(kafka.bootstrapServers(), protocol,
                    () -> topic(GroupJoin.PARTITIONS), smoke ? 1 : 5);
            String line = String.format("group protocol %s: first member holds %d partitions after %.0f ms; a second "
                    + "member joining settles both (6 each) in %.0f ms (median of %d, bare consumers)", protocol,
                    GroupJoin.PARTITIONS, joined.joinMs(), joined.scaleOutMs(), joined.trials());
            System.out.println("  " + line);
            results.notes.add(line);
        }

        section("Port calls per run shape");
        results.shapes.addAll(RunShapes.measure(this, smoke ? 20 : 200));

        if (smoke) {
            results.headline.add(scenario("smoke", 3, 64, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(3), jdk17(),
                    Map.of()));
            results.startup.add(startup("JDK 17", jdk17(), 1));
        } else {
            section("headline");
            for (long latency : new long[] {0, 20}) {
                for (int concurrency : new int[] {1, 64}) {
                    results.headline.add(scenario("Port " + latency + " ms, concurrency " + concurrency, 3, concurrency,
                            latency, 0, Duration.ofSeconds(5), Duration.ofSeconds(15), jdk17(), Map.of()));
                }
            }
            section("scaling");
            for (int partitions : new int[] {1, 3, 12}) {
                for (int concurrency : new int[] {1, 4, 16, 64}) {
                    results.scaling.add(scenario("p" + partitions + " c" + concurrency, partitions, concurrency, 20, 0,
                            Duration.ofSeconds(3), Duration.ofSeconds(10), jdk17(), Map.of()));
                }
            }
            section("memory against runs in flight");
            for (int concurrency : new int[] {1, 16, 64, 256, 1024}) {
                results.memory.add(scenario("in flight " + concurrency, 12, concurrency, 200, 0, Duration.ofSeconds(5),
                        Duration.ofSeconds(10), jdk17(), Map.of()));
            }
            section("webhook connection pool");
            for (int concurrency : new int[] {5, 64}) {
                results.webhookPool.add(scenario("sink 100 ms, concurrency " + concurrency, 3, concurrency, 0, 100,
                        Duration.ofSeconds(3), Duration.ofSeconds(10), jdk17(), Map.of()));
            }
            section("start-up");
            startupModes();
            section("profile");
            profile();
            section("sustained");
            sustained();
        }
        Report report = new Report(results, smoke, Duration.ofNanos(System.nanoTime() - began));
        report.printTable();
        Path written = report.write(reports);
        System.out.println("Report: " + written);
        return smoke ? Math.max(report.smokeCheck(), bridge) : 0;
    }

    /** The Kafka → HTTP bridge against kafka-hooks: its own report ({@code …-bridge.md}); 1 if smoke found a loss. */
    private int bridge() throws IOException {
        section("Kafka → HTTP bridge" + (smoke ? " (Berth only unless kafka-hooks is installed)" : ""));
        BridgeBench bridge = new BridgeBench(this, bridgeSink);
        bridge.run();
        System.out.println("Bridge report: " + bridge.write(reports, results.machine));
        return smoke && !bridge.smokeOk() ? 1 : 0;
    }

    // ---- Scenarios ----------------------------------------------------------------------------

    Load.Result scenario(String label, int partitions, int concurrency, long portMs, long sinkMs, Duration warmup,
            Duration measure, BerthProcess.Jvm jvm, Map<String, String> extraEnv) {
        String topic = topic(partitions);
        port.delayMs(portMs);
        sink.delayMs(sinkMs);
        Map<String, String> env = env(topic, concurrency);
        env.putAll(extraEnv);
        Path log = WORK.resolve("berth-" + scenarioCount + ".log");
        try (BerthProcess berth = BerthProcess.start(jvm, env, log)) {
            berth.awaitReady(Duration.ofSeconds(60), log);
            Load.Result result = load.run(label, topic, berth, partitions, concurrency, portMs, sinkMs,
                    2 * concurrency + 8, warmup, measure);
            System.out.printf("  %-34s %8.1f runs/s  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  %.2f Port calls/run  RSS %.0f MiB  "
                    + "Berth CPU %.2f ms/run (%.2f without the JIT compilers)  %.0f KiB allocated/run%n",
                    label, result.runsPerSecond(), result.p50Ms(), result.p99Ms(), result.maxMs(), result.portCallsPerRun(),
                    result.rssMiB(), result.berthCpuMsPerRun(), result.cpuMsPerRunWithoutJit(), result.allocatedKiBPerRun());
            return result;
        } finally {
            port.delayMs(0);
            sink.delayMs(0);
        }
    }

    private void startupModes() {
        String jdk25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
        results.startup.add(startup("JDK 17", jdk17(), 3));
        Path jsa = WORK.resolve("berth-17.jsa").toAbsolutePath();
        train("JDK 17 + AppCDS", jdk17().with("-XX:ArchiveClassesAtExit=" + jsa), jsa,
                jdk17().with("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto"));
        if (Files.isExecutable(Path.of(jdk25))) {
            BerthProcess.Jvm plain25 = new BerthProcess.Jvm("JDK 25", jdk25, List.of());
            results.startup.add(startup("JDK 25", plain25, 3));
            Path aot = WORK.resolve("berth-25.aot").toAbsolutePath();
            train("JDK 25 + AOT cache", plain25.with("-XX:AOTCacheOutput=" + aot), aot, plain25.with("-XX:AOTCache=" + aot));
        } else {
            results.startup.add(new Startup("JDK 25 + AOT cache", "no JDK 25 at " + jdk25, Double.NaN, Double.NaN,
                    Double.NaN, 0));
        }
    }

    /** A training run that writes an archive at exit, then start-up trials that use it. */
    private void train(String mode, BerthProcess.Jvm training, Path archive, BerthProcess.Jvm using) {
        try {
            Files.deleteIfExists(archive);
            startupTrial(training, "training-" + mode.replaceAll("\\W+", "-"));
        } catch (IOException | RuntimeException e) {
            results.startup.add(new Startup(mode, "training run failed: " + e.getMessage(), Double.NaN, Double.NaN,
                    Double.NaN, 0));
            return;
        }
        if (!Files.isRegularFile(archive)) {
            results.startup.add(new Startup(mode, "no archive written by the training run", Double.NaN, Double.NaN,
                    Double.NaN, 0));
            return;
        }
        results.startup.add(startup(mode + " (" + archive.getFileName() + ", " + sizeMiB(archive) + " MiB)", using, 3));
    }

    private Startup startup(String mode, BerthProcess.Jvm jvm, int trials) {
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            all.add(startupTrial(jvm, "startup-" + mode.replaceAll("\\W+", "-") + "-" + i));
        }
        all.sort((a, b) -> Double.compare(a[1], b[1]));
        double[] median = all.get(all.size() / 2);
        Startup startup = new Startup(mode, "ok", median[0], median[1], all.get(0)[2], trials);
        System.out.printf("  %-44s ready %6.0f ms, first run %6.0f ms, idle RSS %.0f MiB%n", mode, median[0], median[1],
                all.get(0)[2]);
        return startup;
    }

    /** One start: a run already waits on a fresh topic. {ready ms, first run ended ms, idle RSS MiB}. */
    private double[] startupTrial(BerthProcess.Jvm jvm, String name) {
        String topic = topic(1);
        String runId = Load.nextRunId();
        CompletableFuture<Long> ended = new CompletableFuture<>();
        port.listener((id, status, at) -> {
            if (id.equals(runId)) {
                ended.complete(at);
            }
        });
        try {
            producer.send(new ProducerRecord<>(topic, runId, Load.runMessage(runId, "e-" + runId, sink.url()))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Path log = WORK.resolve(name + ".log");
        try (BerthProcess berth = BerthProcess.start(jvm, env(topic, 64), log)) {
            Duration ready = berth.awaitReady(Duration.ofSeconds(60), log);
            long endedAt = ended.get(60, TimeUnit.SECONDS);
            BerthProcess.sleep(smoke ? 500 : 3000);
            return new double[] {ready.toNanos() / 1e6, (endedAt - berth.startedNanos) / 1e6, berth.rssMiB()};
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e.getMessage() + " (see " + log + ")", e);
        }
    }

    private void profile() throws IOException {
        Path jfr = WORK.resolve("hot-path.jfr").toAbsolutePath();
        Files.deleteIfExists(jfr);
        results.profiled = scenario("Port 0 ms, concurrency 64, JFR", 3, 64, 0, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(15), jdk17().with("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile"),
                Map.of());
        results.profile = Profile.of(jfr);
    }

    /**
     * {@code --only-profile}: Berth's CPU per run (0 ms, concurrency 64, no JFR) and per bridge record,
     * then both JFR profiles, printed; the recordings stay in target/bench/work for {@code jfr}.
     */
    private int profileAndCpu() throws IOException {
        section("CPU per run and profile");
        scenario("Port 0 ms, concurrency 64", 3, 64, 0, 0, Duration.ofSeconds(10), Duration.ofSeconds(20), jdk17(), Map.of());
        profile();
        Profile.print(results.profile);
        section("CPU per bridge record and profile");
        new BridgeBench(this, bridgeSink).profileOnly(smoke ? 20_000 : 100_000);
        return 0;
    }

    /**
     * {@code --only-memory}: Berth with {@link BerthProcess#memoryOptions} idle (RSS 10 s after ready),
     * then under load (Port 20 ms, concurrency 64, for {@code --sustain-minutes}; smoke: 30 s) with its
     * peak RSS, read every 100 ms; both the process's own, JVM and all.
     */
    private int memoryWithOptions() {
        section("memory with " + String.join(" ", BerthProcess.memoryOptions));
        int concurrency = 64;
        String topic = topic(3);
        port.delayMs(20);
        Path log = WORK.resolve("memory.log");
        try (BerthProcess berth = BerthProcess.start(jdk17(), env(topic, concurrency), log)) {
            berth.awaitReady(Duration.ofSeconds(60), log);
            BerthProcess.sleep(smoke ? 5_000 : 10_000);
            double idle = berth.rssMiB();
            PeakRss peak = PeakRss.sample(berth::rssMiB);
            Duration span = smoke ? Duration.ofSeconds(30) : Duration.ofMinutes(sustainMinutes);
            Load.Result result = load.run("memory, Port 20 ms, concurrency 64", topic, berth, 3, concurrency, 20, 0,
                    2 * concurrency + 8, Duration.ZERO, span);
            peak.stop();
            boolean alive = berth.process.isAlive();
            System.out.printf("  JVM options: %s%n  idle RSS %.0f MiB; under load (%d s): peak RSS %.0f MiB, %.1f runs/s, "
                    + "%d runs, Berth CPU %.2f ms/run, heap used %.0f MiB at the end; %s%n",
                    String.join(" ", BerthProcess.memoryOptions), idle, span.toSeconds(), peak.max(),
                    result.runsPerSecond(), result.runs(), result.berthCpuMsPerRun(), result.heapMiB(),
                    alive ? "still running" : "EXITED (see " + log + ")");
            return alive && result.runs() > 0 ? 0 : 1;
        } finally {
            port.delayMs(0);
        }
    }

    private void sustained() {
        long lifetime = 60;
        long margin = 10;
        port.tokenLifetimeSeconds(lifetime);
        int concurrency = 64;
        String topic = topic(3);
        port.delayMs(20);
        Map<String, String> env = env(topic, concurrency);
        env.put("BERTH_PORT_TOKEN_REFRESH_MARGIN", margin + "s");
        Path log = WORK.resolve("sustained.log");
        List<Sample> samples = new ArrayList<>();
        long tokens0 = port.tokenCalls.sum();
        try (BerthProcess berth = BerthProcess.start(jdk17(), env, log)) {
            berth.awaitReady(Duration.ofSeconds(60), log);
            long start = System.nanoTime();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    samples.add(new Sample((System.nanoTime() - start) / 6e10, berth.rssMiB(), berth.heapUsedMiB()));
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.start();
            Load.Result result = load.run("sustained, Port 20 ms, concurrency 64", topic, berth, 3, concurrency, 20, 0,
                    2 * concurrency + 8, Duration.ZERO, Duration.ofMinutes(sustainMinutes));
            sampler.interrupt();
            results.sustained = new Sustained(result, List.copyOf(samples), port.tokenCalls.sum() - tokens0, lifetime,
                    margin, (System.nanoTime() - start) / 6e10);
            System.out.printf("  sustained: %.1f runs/s, %d runs, %d token calls, RSS %.0f → %.0f MiB%n",
                    result.runsPerSecond(), result.runs(), port.tokenCalls.sum() - tokens0, samples.get(0).rssMiB(),
                    samples.get(samples.size() - 1).rssMiB());
        } finally {
            port.delayMs(0);
            port.tokenLifetimeSeconds(10_800);
        }
    }

    // ---- Settings -----------------------------------------------------------------------------

    Map<String, String> env(String topic, int concurrency) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT_ORG_ID", ORG);
        env.put("PORT_CLIENT_ID", PortStub.CLIENT_ID);
        env.put("PORT_CLIENT_SECRET", PortStub.CLIENT_SECRET);
        env.put("PORT_API_BASE_URL", port.baseUrl());
        env.put("KAFKA_BROKERS", kafka.bootstrapServers());
        env.put("KAFKA_RUNS_TOPIC", topic);
        env.put("KAFKA_CONSUMER_GROUP_ID", ORG + ".bench-" + topic);
        // Start-up scenarios produce the first run before Berth has joined its group.
        env.put("KAFKA_CONSUMER_AUTO_OFFSET_RESET", "earliest");
        env.put("CONTROL_THE_PAYLOAD_CONFIG_PATH", mapping.toAbsolutePath().toString());
        env.put("BERTH_RUNS_CONCURRENCY", String.valueOf(concurrency));
        return env;
    }

    String topic(int partitions) {
        String topic = "bench-runs-" + (++scenarioCount);
        for (int attempt = 1; ; attempt++) {
            try {
                kafka.createTopic(topic, partitions);
                return topic;
            } catch (IllegalStateException e) {
                // Describing a topic just created can race its metadata (UnknownTopicOrPartition): try again.
                if (attempt == 5) {
                    throw e;
                }
                BerthProcess.sleep(500);
            }
        }
    }

    static BerthProcess.Jvm jdk17() {
        return new BerthProcess.Jvm("JDK 17", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", List.of());
    }

    private static long sizeMiB(Path file) {
        try {
            return Files.size(file) / (1024 * 1024);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void section(String name) {
        System.out.println("== " + name);
    }
}
