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
    /** {@code --only-bridge-berth}: Berth's bridge rows alone, for working on the bridge (no peer, no report). */
    static boolean bridgeBerthOnly;
    /** {@code --bridge-records N}: records per bridge run (100,000 unless told; smoke 5,000). */
    static int bridgeRecords;
    /** {@code --bridge-scenarios client,per-request,batch,bare}: which rows {@code --only-bridge-berth} runs (per-request and batch unless told; bare: the bare JVM bridge). */
    static List<String> bridgeScenarios = List.of("per-request", "batch");
    /** Added to the bare JVM bridge's one-record-per-request row after the image's options: a leaner JVM, say. */
    static List<String> bareJvmOptions = List.of();
    /** {@code --bridge-concurrency N}: the file's {@code concurrency} in {@code --only-bridge-berth}'s rows (100 unless told). */
    static int bridgeConcurrency = 100;
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
        /** The tight client's CPU per request against the stand-in and the sink (NaN until measured). */
        double portStubClientCpuMs = Double.NaN;
        double sinkClientCpuMs = Double.NaN;
        /** Berth's CPU per bridge record at concurrency 100, one record per request (NaN until measured). */
        double bridgeCpuMsPerRecord = Double.NaN;
        /** Port latency of the memory-against-runs-in-flight rows. */
        long inFlightPortMs;
        /** Start-up timelines: the median trial of each group protocol, then the pushed run's. */
        final List<StartTimeline.Trial> timelines = new ArrayList<>();
        StartTimeline.Trial pushed;
        /** Where an idle Berth's RSS goes (NMT), on the image's options; null until measured. */
        NativeMemory.Breakdown nativeMemory;
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

    /**
     * {@code jvm} and {@code options}: the java and memory options Berth ran with (the image's);
     * {@code idleRssMiB} and {@code idleHeapMiB} {@code idleAfterSeconds} after ready, before the load;
     * {@code peakRssMiB} under it, read every 100 ms.
     */
    record Sustained(Load.Result load, List<Sample> samples, long tokenCalls, long tokenLifetimeSeconds,
            long refreshMarginSeconds, double minutes, String jvm, List<String> options, long idleAfterSeconds,
            double idleRssMiB, double idleHeapMiB, double peakRssMiB, boolean alive) {
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
        boolean memoryOptionsGiven = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--only-bridge" -> bridgeOnly = true;
                case "--only-shapes" -> shapesOnly = true;
                case "--only-profile" -> profileOnly = true;
                case "--only-bridge-berth" -> bridgeBerthOnly = true;
                case "--bridge-records" -> bridgeRecords = Integer.parseInt(args[++i]);
                case "--bridge-scenarios" -> bridgeScenarios = List.of(args[++i].split(","));
                case "--bridge-concurrency" -> bridgeConcurrency = Integer.parseInt(args[++i]);
                case "--only-memory" -> memoryOnly = true;
                case "--only-handlers-cost" -> handlersCostOnly = true;
                case "--berth-jvm-options" -> {
                    BerthProcess.memoryOptions = List.of(args[++i].trim().split("\\s+"));
                    memoryOptionsGiven = true;
                }
                case "--bare-jvm-options" -> bareJvmOptions = List.of(args[++i].trim().split("\\s+"));
                case "--berth-java" -> {
                    String java = args[++i];
                    berthJava = new BerthProcess.Jvm(Machine.command(java, "-version"), java, List.of());
                }
                case "--sustain-minutes" -> sustain = Integer.parseInt(args[++i]);
                case "--out" -> reports = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: bench/run [--smoke] [--only-bridge | --only-bridge-berth | --only-shapes | --only-profile | --only-memory"
                            + " | --only-handlers-cost] [--berth-jvm-options \"-Xmx64m …\"] [--bare-jvm-options \"…\"] [--berth-java PATH] [--sustain-minutes N] [--bridge-records N] [--bridge-scenarios client,per-request,batch,bare] [--bridge-concurrency N] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        if (memoryOnly && !memoryOptionsGiven) {
            // --only-memory measures the image's options unless told others.
            BerthProcess.memoryOptions = ImageJvmOptions.read();
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
        if (bridgeBerthOnly) {
            section("Kafka → HTTP bridge, Berth's rows only");
            new BridgeBench(this, bridgeSink).berthOnly(bridgeRecords > 0 ? bridgeRecords : 100_000);
            return 0;
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
        Limits.Rate stub = Limits.httpRateAndCpu(port.port(), "/v1/actions/runs/r_raw/logs", bearer,
                "{\"message\":\"Webhook POST http://127.0.0.1/hook answered 200 in 1 ms\"}", 64, raw);
        Limits.Rate webhook = Limits.httpRateAndCpu(sink.port(), "/hook", null, Load.runMessage("r_raw", "e", sink.url()),
                64, raw);
        results.portStubRate = stub.perSecond();
        results.portStubClientCpuMs = stub.cpuMsPerRequest();
        results.sinkRate = webhook.perSecond();
        results.sinkClientCpuMs = webhook.cpuMsPerRequest();
        System.out.printf("  consumer %.0f records/s, Port stub %.0f req/s (client CPU %.4f ms/request), sink %.0f req/s "
                + "(client CPU %.4f ms/request)%n", results.consumerRate, results.portStubRate,
                results.portStubClientCpuMs, results.sinkRate, results.sinkClientCpuMs);

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
            results.headline.add(scenario("smoke", 3, 64, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(3), berthJvm(),
                    Map.of()));
            results.startup.add(startup("JDK 17", berthJvm(), 1));
            memoryAgainstInFlight(new int[] {4, 16}, 200, Duration.ofSeconds(1), Duration.ofSeconds(2));
            section("start-up: where the time goes");
            timelines(berthJvm(), 1);
            section("memory with the image's JVM options");
            sustained(Duration.ofSeconds(10), Duration.ofSeconds(2));
            nativeMemory(Duration.ofSeconds(2), ImageJvmOptions.read());
        } else {
            section("headline");
            for (long latency : new long[] {0, 20}) {
                for (int concurrency : new int[] {1, 64}) {
                    results.headline.add(scenario("Port " + latency + " ms, concurrency " + concurrency, 3, concurrency,
                            latency, 0, Duration.ofSeconds(5), Duration.ofSeconds(15), berthJvm(), Map.of()));
                }
            }
            section("scaling");
            for (int partitions : new int[] {1, 3, 12}) {
                for (int concurrency : new int[] {1, 4, 16, 64}) {
                    results.scaling.add(scenario("p" + partitions + " c" + concurrency, partitions, concurrency, 20, 0,
                            Duration.ofSeconds(3), Duration.ofSeconds(10), berthJvm(), Map.of()));
                }
            }
            memoryAgainstInFlight(new int[] {1, 16, 64, 256, 1024}, 1000, Duration.ofSeconds(5), Duration.ofSeconds(10));
            section("webhook connection pool");
            for (int concurrency : new int[] {5, 64}) {
                results.webhookPool.add(scenario("sink 100 ms, concurrency " + concurrency, 3, concurrency, 0, 100,
                        Duration.ofSeconds(3), Duration.ofSeconds(10), berthJvm(), Map.of()));
            }
            section("start-up");
            BerthProcess.Jvm cached = startupModes();
            section("start-up: where the time goes");
            timelines(cached, 3);
            section("profile");
            profile();
            section("sustained, with the image's JVM options");
            sustained(Duration.ofMinutes(sustainMinutes), Duration.ofSeconds(10));
            nativeMemory(Duration.ofSeconds(10), ImageJvmOptions.read());
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
        results.bridgeCpuMsPerRecord = bridge.berthCpuMsPerRecord();
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
                    + "Berth CPU %.2f ms/run (%.2f without the JIT compilers)  %.0f KiB allocated/run  in flight %.0f%n",
                    label, result.runsPerSecond(), result.p50Ms(), result.p99Ms(), result.maxMs(), result.portCallsPerRun(),
                    result.rssMiB(), result.berthCpuMsPerRun(), result.cpuMsPerRunWithoutJit(), result.allocatedKiBPerRun(),
                    result.inFlight());
            return result;
        } finally {
            port.delayMs(0);
            sink.delayMs(0);
        }
    }

    /** The start-up rows; returns the JVM of the AOT cache row when it was trained, else JDK 17. */
    private BerthProcess.Jvm startupModes() {
        String jdk25 = ImageJvmOptions.JDK25;
        BerthProcess.Jvm cached = berthJvm();
        results.startup.add(startup("JDK 17", berthJvm(), 3));
        Path jsa = WORK.resolve("berth-17.jsa").toAbsolutePath();
        train("JDK 17 + AppCDS", berthJvm().with("-XX:ArchiveClassesAtExit=" + jsa), jsa,
                berthJvm().with("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto"));
        if (Files.isExecutable(Path.of(jdk25))) {
            BerthProcess.Jvm plain25 = new BerthProcess.Jvm("JDK 25", jdk25, List.of());
            results.startup.add(startup("JDK 25", plain25, 3));
            Path aot = WORK.resolve("berth-25.aot").toAbsolutePath();
            BerthProcess.Jvm using = new BerthProcess.Jvm("JDK 25 + AOT cache", jdk25, List.of("-XX:AOTCache=" + aot));
            if (train("JDK 25 + AOT cache", plain25.with("-XX:AOTCacheOutput=" + aot), aot, using)) {
                cached = using;
            }
        } else {
            results.startup.add(new Startup("JDK 25 + AOT cache", "no JDK 25 at " + jdk25, Double.NaN, Double.NaN,
                    Double.NaN, 0));
        }
        return cached;
    }

    /**
     * Where the time to the first run goes, with each group protocol (the median of {@code trials}),
     * then the first run pushed over HTTP (POST /cloudevents), all on {@code jvm}.
     */
    private void timelines(BerthProcess.Jvm jvm, int trials) {
        StartTimeline timeline = new StartTimeline(this);
        for (String protocol : List.of("classic", "consumer")) {
            List<StartTimeline.Trial> all = new ArrayList<>();
            for (int i = 0; i < trials; i++) {
                all.add(timeline.consumed(jvm.name() + ", group protocol " + protocol, jvm,
                        Map.of("BERTH_KAFKA_GROUP_PROTOCOL", protocol), "timeline-" + protocol + "-" + i));
            }
            results.timelines.add(print(StartTimeline.median(all)));
        }
        List<StartTimeline.Trial> pushed = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            pushed.add(timeline.pushed(jvm.name() + ", pushed over HTTP", jvm, "timeline-pushed-" + i));
        }
        results.pushed = print(StartTimeline.median(pushed));
    }

    private static StartTimeline.Trial print(StartTimeline.Trial trial) {
        System.out.printf("  %s: first run handled %.0f ms after process start%n", trial.mode(), trial.firstRunMs());
        trial.milestones().forEach(m -> System.out.printf("    %7.0f ms  %s (%s)%n", m.ms(), m.name(), m.clock()));
        return trial;
    }

    /**
     * Memory against runs in flight: one Berth per concurrency, Port answering after {@code portMs} so
     * that every permit is taken (each run makes 4 calls); in flight is read from Berth's own gauge.
     */
    private void memoryAgainstInFlight(int[] concurrencies, long portMs, Duration warmup, Duration measure) {
        section("memory against runs in flight");
        results.inFlightPortMs = portMs;
        for (int concurrency : concurrencies) {
            results.memory.add(scenario("in flight " + concurrency, 12, concurrency, portMs, 0, warmup, measure, berthJvm(),
                    Map.of()));
        }
    }

    /** A training run that writes an archive at exit, then start-up trials that use it; false when none was written. */
    private boolean train(String mode, BerthProcess.Jvm training, Path archive, BerthProcess.Jvm using) {
        try {
            Files.deleteIfExists(archive);
            startupTrial(training, "training-" + mode.replaceAll("\\W+", "-"));
        } catch (IOException | RuntimeException e) {
            results.startup.add(new Startup(mode, "training run failed: " + e.getMessage(), Double.NaN, Double.NaN,
                    Double.NaN, 0));
            return false;
        }
        if (!Files.isRegularFile(archive)) {
            results.startup.add(new Startup(mode, "no archive written by the training run", Double.NaN, Double.NaN,
                    Double.NaN, 0));
            return false;
        }
        results.startup.add(startup(mode + " (" + archive.getFileName() + ", " + sizeMiB(archive) + " MiB)", using, 3));
        return true;
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
                Duration.ofSeconds(15), berthJvm().with("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile"),
                Map.of());
        results.profile = Profile.of(jfr);
    }

    /**
     * {@code --only-profile}: Berth's CPU per run (0 ms, concurrency 64, no JFR) and per bridge record,
     * then both JFR profiles, printed; the recordings stay in target/bench/work for {@code jfr}.
     */
    private int profileAndCpu() throws IOException {
        section("CPU per run and profile");
        scenario("Port 0 ms, concurrency 64", 3, 64, 0, 0, Duration.ofSeconds(10), Duration.ofSeconds(20), berthJvm(), Map.of());
        profile();
        Profile.print(results.profile);
        section("CPU per bridge record and profile");
        new BridgeBench(this, bridgeSink).profileOnly(smoke ? 20_000 : 100_000);
        return 0;
    }

    /**
     * {@code --only-memory}: Berth on the image's java with {@link BerthProcess#memoryOptions} (the image's
     * JAVA_OPTS unless {@code --berth-jvm-options} says others) idle (RSS 10 s after ready),
     * then under load (Port 20 ms, concurrency 64, for {@code --sustain-minutes}; smoke: 30 s) with its
     * peak RSS, read every 100 ms; both the process's own, JVM and all.
     */
    private int memoryWithOptions() {
        section("memory with " + String.join(" ", BerthProcess.memoryOptions));
        int concurrency = 64;
        String topic = topic(3);
        port.delayMs(20);
        Path log = WORK.resolve("memory.log");
        BerthProcess.Jvm jvm = ImageJvmOptions.jvm();
        try (BerthProcess berth = BerthProcess.start(jvm, env(topic, concurrency), log)) {
            berth.awaitReady(Duration.ofSeconds(60), log);
            BerthProcess.sleep(smoke ? 5_000 : 10_000);
            double idle = berth.rssMiB();
            PeakRss peak = PeakRss.sample(berth::rssMiB);
            Duration span = smoke ? Duration.ofSeconds(30) : Duration.ofMinutes(sustainMinutes);
            Load.Result result = load.run("memory, Port 20 ms, concurrency 64", topic, berth, 3, concurrency, 20, 0,
                    2 * concurrency + 8, Duration.ZERO, span);
            peak.stop();
            boolean alive = berth.process.isAlive();
            System.out.printf("  %s, JVM options: %s%n  idle RSS %.0f MiB; under load (%d s): peak RSS %.0f MiB, %.1f runs/s, "
                    + "%d runs, Berth CPU %.2f ms/run, heap used %.0f MiB at the end; %s%n",
                    jvm.name(), String.join(" ", BerthProcess.memoryOptions), idle, span.toSeconds(), peak.max(),
                    result.runsPerSecond(), result.runs(), result.berthCpuMsPerRun(), result.heapMiB(),
                    alive ? "still running" : "EXITED (see " + log + ")");
            if (!alive || result.runs() == 0) {
                return 1;
            }
        } finally {
            port.delayMs(0);
        }
        nativeMemory(Duration.ofSeconds(smoke ? 5 : 10), BerthProcess.memoryOptions);
        return 0;
    }

    /**
     * Sustained load (Port 20 ms, concurrency 64, 60 s tokens refreshed 10 s early) on Berth started as
     * the container image starts it: the image's JAVA_OPTS (Dockerfile.jvm) on its java (JDK 25, else
     * JDK 17). Idle RSS {@code idleAfter} after ready, then peak RSS (every 100 ms) and samples every 10 s.
     */
    private void sustained(Duration span, Duration idleAfter) {
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
        List<String> options = ImageJvmOptions.read();
        BerthProcess.Jvm jvm = ImageJvmOptions.jvm();
        try (BerthProcess berth = BerthProcess.start(jvm, BerthProcess.JAR, env, log, options)) {
            berth.awaitReady(Duration.ofSeconds(60), log);
            BerthProcess.sleep(idleAfter.toMillis());
            double idle = berth.rssMiB();
            double idleHeap = berth.heapUsedMiB();
            PeakRss peak = PeakRss.sample(berth::rssMiB);
            long start = System.nanoTime();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    samples.add(new Sample((System.nanoTime() - start) / 6e10, berth.rssMiB(), berth.heapUsedMiB()));
                    try {
                        Thread.sleep(smoke ? 2_000 : 10_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.start();
            Load.Result result = load.run("sustained, image's JVM options, Port 20 ms, concurrency 64", topic, berth, 3,
                    concurrency, 20, 0, 2 * concurrency + 8, Duration.ZERO, span);
            sampler.interrupt();
            peak.stop();
            results.sustained = new Sustained(result, List.copyOf(samples), port.tokenCalls.sum() - tokens0, lifetime,
                    margin, (System.nanoTime() - start) / 6e10, jvm.name(), options, idleAfter.toSeconds(), idle,
                    idleHeap, peak.max(), berth.process.isAlive());
            System.out.printf("  sustained (%s %s): %.1f runs/s, %d runs, %d token calls, idle RSS %.0f MiB, peak %.0f MiB, "
                    + "RSS %.0f → %.0f MiB%n", jvm.name(), String.join(" ", options), result.runsPerSecond(),
                    result.runs(), port.tokenCalls.sum() - tokens0, idle, peak.max(), samples.get(0).rssMiB(),
                    samples.get(samples.size() - 1).rssMiB());
        } finally {
            port.delayMs(0);
            port.tokenLifetimeSeconds(10_800);
        }
    }

    /** Where an idle Berth's RSS goes, by NMT category, on the image's java and {@code options} (a start of its own). */
    private void nativeMemory(Duration idle, List<String> options) {
        section("native memory of an idle Berth (" + String.join(" ", options) + " -XX:NativeMemoryTracking=summary)");
        NativeMemory.Breakdown breakdown = NativeMemory.idle(this, topic(3), idle, options);
        results.nativeMemory = breakdown;
        if (breakdown != null) {
            System.out.printf("  RSS %.1f MiB, NMT committed %.1f MiB:%n", breakdown.rssMiB(), breakdown.trackedMiB());
            breakdown.categories().stream().limit(8)
                    .forEach(c -> System.out.printf("    %6.1f MiB  %s%n", c.committedMiB(), c.name()));
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

    /** The java of every Berth the run starts: JDK 17, unless {@code --berth-java} names another. */
    private static volatile BerthProcess.Jvm berthJava = new BerthProcess.Jvm("JDK 17",
            "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", List.of());

    static BerthProcess.Jvm berthJvm() {
        return berthJava;
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
