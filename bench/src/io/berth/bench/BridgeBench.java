package io.berth.bench;

import static io.berth.bench.Report.f;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka → HTTP bridge against kafka-hooks (issue 9 §7): one workload, N records of 200 B on 3
 * partitions already on the topic, delivered by each peer on the same kafka-hooks file (a fresh group
 * each time) to one sink that counts each record's sequence number. Ceilings in the same run: the
 * sink's request rate (wrk, or a Vert.x client without it), a bare KafkaConsumer over the records,
 * Vert.x's client alone (warm), and the {@link BareJvmBridge} (cold, on the image's JVM) over the same
 * workload as the peers.
 *
 * <pre>
 *  produce N × 200 B (key k-seq, value {"seq":n,...}) ─► topic, 3 partitions
 *  per peer × concurrency: start on the file ─► sink counts seq (first/last arrival, lost, duplicated) ─► stop
 *  records/s = distinct records ÷ (last arrival − first arrival); peak RSS of the process tree, every 100 ms
 *  latency: Berth started and assigned, then one record at a time: produced → delivered
 * </pre>
 */
final class BridgeBench {

    static final int RECORD_BYTES = 200;
    static final int PARTITIONS = 3;

    /**
     * One peer at one concurrency over the workload. {@code lost} counts only in a complete run: one cut
     * off by the time bound leaves records undelivered that are not known lost ({@code lost} is then -1).
     */
    record Run(String peer, String scenario, int concurrency, String status, int records, long delivered, long lost,
            long duplicates, double recordsPerSecond, double secondHalfPerSecond, double peakRssMiB, long sinkRequests,
            double cpuMsPerRecord, double cpuMsPerRecordWithoutJit) {
        boolean ok() {
            return status.equals("ok");
        }
    }

    /** How long one run may take: a peer slower than records ÷ this is measured on what it delivered. */
    static final Duration RUN_BOUND = Duration.ofSeconds(240);

    /** Produced → delivered, on a peer already started and assigned its partitions. */
    record Latency(String peer, double firstMs, double medianMs, double maxMs, int samples) {
    }

    static final class Results {
        int records;
        double sinkCapacity;
        String sinkTool = "";
        /** The JVM's own ceiling: Vert.x's HTTP client alone, in the harness, against the sink (records need not be read). */
        Limits.Rate vertxClient = new Limits.Rate(Double.NaN, Double.NaN);
        double consumerRate;
        final List<Run> runs = new ArrayList<>();
        final List<Latency> latencies = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        Profile.Summary profile;
    }

    private final Bench bench;
    private final boolean smoke;
    private final RecordSink sink;
    private final Results results = new Results();
    private int scenarios;

    /** In the scenario of each row on the container image's java and {@code JAVA_OPTS}. */
    static final String IMAGE_JVM = "image's JVM";
    /** Ends the scenario of each row run with {@link #C1_ONLY} added. */
    static final String WITH_C1_ONLY = ", C1 only";
    /** The scenario of Berth's row on the container image's java and {@code JAVA_OPTS}. */
    static final String AS_SHIPPED = "one record per request, " + IMAGE_JVM;
    /**
     * The README's {@code JAVA_OPTS_APPEND} for replicas that live in bursts: C1 alone, which
     * compiles a tenth as much as C1 and C2 on two shared cores and runs slower once warm.
     */
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String BATCH = ", \"batch\": {\"maxRecords\": 100, \"maxBytes\": 65536, \"linger\": 5}";

    BridgeBench(Bench bench, RecordSink sink) {
        this.bench = bench;
        this.smoke = bench.smoke;
        this.sink = sink;
    }

    Results run() throws IOException {
        int records = smoke ? 5_000 : Bench.bridgeRecords > 0 ? Bench.bridgeRecords : 100_000;
        results.records = records;
        List<BridgePeer> peers = new ArrayList<>(List.of(BridgePeer.berth()));
        BridgePeer hooks = BridgePeer.kafkaHooks();
        if (hooks.unavailable() == null) {
            peers.add(hooks);
        } else {
            results.notes.add("kafka-hooks not measured: " + hooks.unavailable());
            System.out.println("  kafka-hooks not measured: " + hooks.unavailable());
        }
        String topic = bench.topic(PARTITIONS);
        produce(topic, records, 0);
        results.consumerRate = Limits.readRate(bench.kafka.bootstrapServers(), topic, records);
        sinkCapacity();
        results.vertxClient = vertxClient();
        System.out.printf("  bridge ceilings: bare consumer %.0f records/s, sink %.0f requests/s (%s), Vert.x client alone "
                + "%.0f requests/s at %.3f ms CPU/request%n", results.consumerRate, results.sinkCapacity, results.sinkTool,
                results.vertxClient.perSecond(), results.vertxClient.cpuMsPerRequest());

        int[] concurrencies = smoke ? new int[] {50} : new int[] {10, 50, 100};
        for (BridgePeer peer : peers) {
            for (int concurrency : concurrencies) {
                results.runs.add(deliver(peer, "one record per request", topic, records, concurrency, "", List.of()));
            }
        }
        if (!smoke) {
            // As a user of the container image runs it (its java, JAVA_OPTS), beside the rows above on
            // JDK 17; then with the README's JAVA_OPTS_APPEND for bursts.
            results.runs.add(deliver(BridgePeer.berthAsShipped(), AS_SHIPPED, topic, records, 100, "", List.of()));
            results.runs.add(deliver(BridgePeer.berthAsShipped(), AS_SHIPPED + WITH_C1_ONLY, topic, records, 100, "",
                    List.of(C1_ONLY)));
        }
        // Batched delivery (issue 9 §6): Berth only, since the "batch" key is Berth's.
        if (!smoke) {
            results.runs.add(deliver(BridgePeer.berth(), "batch", topic, records, 100, BATCH, List.of()));
            results.runs.add(deliver(BridgePeer.berthAsShipped(), "batch, " + IMAGE_JVM, topic, records, 100, BATCH,
                    List.of()));
            results.runs.add(deliver(BridgePeer.berthAsShipped(), "batch, " + IMAGE_JVM + WITH_C1_ONLY, topic, records,
                    100, BATCH, List.of(C1_ONLY)));
            bareJvmBridge(topic, records, 100);
            profile(topic, records);
        }
        results.latencies.add(latency(BridgePeer.berth(), smoke ? 5 : 20));
        if (!smoke && hooks.unavailable() == null) {
            results.latencies.add(latency(hooks, 20));
        }
        return results;
    }

    // ---- Workload -----------------------------------------------------------------------------

    /** Sequences {@code from … from+count-1}, keyed {@code k-<seq>}, values of exactly 200 bytes. */
    private void produce(String topic, int count, int from) {
        KafkaProducer<String, String> producer = bench.producer;
        for (int seq = from; seq < from + count; seq++) {
            producer.send(new ProducerRecord<>(topic, "k-" + seq, value(seq)));
        }
        producer.flush();
    }

    static String value(int seq) {
        String head = "{\"seq\":" + seq + ",\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(RECORD_BYTES - head.length() - tail.length()) + tail;
    }

    // ---- Ceilings -----------------------------------------------------------------------------

    /** wrk when installed (a C load generator, so the sink's ceiling and not the client's), else Vert.x. */
    private void sinkCapacity() throws IOException {
        sink.expect(0);
        String body = value(0);
        Duration duration = Duration.ofSeconds(smoke ? 2 : 10);
        if (!Machine.command("wrk", "--version").equals("not found")) {
            Path script = Bench.WORK.resolve("sink-post.lua");
            Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + body + "'\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
            double rate = wrk(script, duration);
            if (rate > 0) {
                results.sinkCapacity = rate;
                results.sinkTool = "wrk, 2 threads, 100 connections, " + duration.toSeconds() + " s";
                return;
            }
            results.notes.add("wrk is installed but gave no rate; the sink's capacity is the Vert.x client's");
        }
        results.sinkCapacity = Limits.httpRate(sink.port(), "/records", null, body, 100, duration);
        results.sinkTool = "Vert.x client, 100 in flight (wrk not installed: apt-get install wrk)";
    }

    /**
     * Vert.x's HTTP client alone, 100 requests in flight (the sink's connections), after as long a
     * warm-up: the rate and CPU per request a JVM bridge built on it cannot beat on this machine.
     */
    private Limits.Rate vertxClient() {
        sink.expect(0);
        Duration duration = Duration.ofSeconds(smoke ? 2 : 10);
        return Limits.httpRateAndCpu(sink.port(), "/records", null, value(0), 100, duration);
    }

    private double wrk(Path script, Duration duration) {
        try {
            Process wrk = new ProcessBuilder("wrk", "-t2", "-c100", "-d" + duration.toSeconds() + "s", "-s",
                    script.toString(), sink.url()).redirectErrorStream(true).start();
            String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS);
            Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
            return rate.find() && !out.contains("Non-2xx") ? Double.parseDouble(rate.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---- Delivery -----------------------------------------------------------------------------

    private Run deliver(BridgePeer peer, String scenario, String topic, int records, int concurrency, String extra,
            List<String> jvmOptions) {
        String label = peer.name() + ", " + scenario + ", concurrency " + concurrency;
        String name = "bridge-" + (++scenarios) + "-" + peer.name().replaceAll("\\W+", "") + "-c" + concurrency;
        KafkaHooksFile file = KafkaHooksFile.write(Bench.WORK.resolve(name), bench.kafka.bootstrapServers(), topic,
                sink.url(), "bench-" + name, concurrency, extra);
        RecordSink.Tally tally = sink.expect(records);
        long requests0 = sink.requests.sum();
        Path log = Bench.WORK.resolve(name + ".log");
        PeakRss peak = null;
        String status = "ok";
        Duration bound = smoke ? Duration.ofSeconds(60) : RUN_BOUND;
        double cpu = Double.NaN;
        double cpuWithoutJit = Double.NaN;
        try (BridgePeer.Running running = peer.start(file, log, jvmOptions)) {
            peak = PeakRss.sample(running::rssMiB);
            // From ready to the last record: start-up is not the records' cost, the group join and warm-up are.
            double cpu0 = running.cpuSeconds();
            double cpuWithoutJit0 = running.cpuSecondsWithoutJit();
            Map<String, Double> threads0 = running.cpuSecondsByThread();
            status = awaitAll(tally, bound, Duration.ofSeconds(30));
            cpu = running.cpuSeconds() - cpu0;
            cpuWithoutJit = running.cpuSecondsWithoutJit() - cpuWithoutJit0;
            printByThread(threads0, running.cpuSecondsByThread());
            // Late arrivals would be duplicates: give them a moment before counting.
            BerthProcess.sleep(smoke ? 300 : 1000);
            peak.stop();
        } catch (RuntimeException e) {
            status = "failed: " + e.getMessage();
        } finally {
            if (peak != null) {
                peak.stop();
            }
        }
        long first = tally.firstNanos.get();
        long last = tally.lastNanos.get();
        double seconds = (last - first) / 1e9;
        long distinct = tally.distinct.sum();
        Run run = new Run(peer.name(), scenario, concurrency, status, records, distinct,
                status.startsWith("incomplete") ? -1 : tally.lost(),
                tally.duplicates.sum() + tally.outOfRange.sum(), seconds > 0 ? distinct / seconds : 0,
                tally.secondHalfPerSecond(),
                peak == null ? Double.NaN : peak.max(), sink.requests.sum() - requests0,
                distinct == 0 ? Double.NaN : cpu * 1000 / distinct,
                distinct == 0 ? Double.NaN : cpuWithoutJit * 1000 / distinct);
        System.out.printf("  %-58s %8.0f records/s (second half %.0f)  lost %d  duplicated %d  peak RSS %.0f MiB  requests %d  CPU %.3f ms/record "
                + "(%.3f without the JIT compilers)  %s%n",
                label, run.recordsPerSecond(), run.secondHalfPerSecond(), run.lost(), run.duplicates(), run.peakRssMiB(), run.sinkRequests(),
                run.cpuMsPerRecord(), run.cpuMsPerRecordWithoutJit(), status);
        return run;
    }

    /** The run's CPU seconds by thread kind, largest first (Berth only): where a record's cost goes. */
    private static void printByThread(Map<String, Double> before, Map<String, Double> after) {
        if (after.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder("    CPU s by thread:");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> line.append(String.format("  %s %.2f", e.getKey(), e.getValue())));
        System.out.println(line);
    }

    /**
     * Until every record arrived ("ok"), or nothing new arrived for {@code stall} ("ok" too: what is
     * missing then is lost), or {@code within} passed while records still arrived ("incomplete").
     */
    private static String awaitAll(RecordSink.Tally tally, Duration within, Duration stall) {
        long deadline = System.nanoTime() + within.toNanos();
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (tally.distinct.sum() < tally.expected) {
            long count = tally.distinct.sum() + tally.duplicates.sum();
            if (count != lastCount) {
                lastCount = count;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                return "ok";
            }
            if (System.nanoTime() > deadline) {
                return f("incomplete: %d of %d delivered within %d s, still delivering", tally.distinct.sum(),
                        tally.expected, within.toSeconds());
            }
            BerthProcess.sleep(20);
        }
        return "ok";
    }

    // ---- Profile and latency ------------------------------------------------------------------

    /**
     * {@code bench/run --only-bridge-berth}: Berth's rows alone, one record per request and batched, at
     * concurrency 100, on the java and options {@code --berth-java} and {@code --berth-jvm-options} give:
     * a loop for work on the bridge ({@code --only-profile} adds JFR).
     */
    void berthOnly(int records) throws IOException {
        String topic = bench.topic(PARTITIONS);
        produce(topic, records, 0);
        if (Bench.bridgeScenarios.contains("client")) {
            Limits.Rate client = vertxClient();
            System.out.printf("  Vert.x client alone: %.0f requests/s at %.3f ms CPU/request%n", client.perSecond(),
                    client.cpuMsPerRequest());
        }
        int concurrency = Bench.bridgeConcurrency;
        if (Bench.bridgeScenarios.contains("per-request")) {
            results.runs.add(deliver(BridgePeer.berth(), "one record per request", topic, records, concurrency, "",
                    List.of()));
        }
        if (Bench.bridgeScenarios.contains("batch")) {
            results.runs.add(deliver(BridgePeer.berth(), "batch", topic, records, concurrency, BATCH, List.of()));
        }
        if (Bench.bridgeScenarios.contains("bare")) {
            bareJvmBridge(topic, records, concurrency);
        }
    }

    /** The bare JVM bridge's rows, one record per request and batched: the JVM's own ceilings over the workload. */
    private void bareJvmBridge(String topic, int records, int concurrency) {
        results.runs.add(deliver(BridgePeer.bareJvmBridge(), "one record per request, " + IMAGE_JVM
                + (Bench.bareJvmOptions.isEmpty() ? "" : ", " + String.join(" ", Bench.bareJvmOptions)), topic, records,
                concurrency, "", Bench.bareJvmOptions));
        results.runs.add(deliver(BridgePeer.bareJvmBridge(), "batch, " + IMAGE_JVM, topic, records, concurrency, BATCH,
                List.of()));
    }

    /** {@code bench/run --only-profile}: Berth delivering {@code records}, without and with JFR, printed. */
    void profileOnly(int records) throws IOException {
        String topic = bench.topic(PARTITIONS);
        produce(topic, records, 0);
        results.runs.add(deliver(BridgePeer.berth(), "one record per request", topic, records, 100, "", List.of()));
        profile(topic, records);
        Profile.print(results.profile);
    }

    /** Berth at concurrency 100 under JFR ({@code settings=profile}): where its CPU goes. */
    private void profile(String topic, int records) throws IOException {
        Path jfr = Bench.WORK.resolve("bridge.jfr").toAbsolutePath();
        Files.deleteIfExists(jfr);
        Run run = deliver(BridgePeer.berth(), "JFR profile", topic, records, 100, "",
                List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile"));
        results.runs.add(run);
        if (Files.isRegularFile(jfr)) {
            results.profile = Profile.of(jfr);
        }
    }

    /**
     * The peer started on an empty topic and holding its partitions (the group stable, all 3
     * assigned), then {@code samples} records one after another, each produced once the previous one
     * arrived: the first is the first record this started peer ever sees.
     */
    private Latency latency(BridgePeer peer, int samples) {
        String topic = bench.topic(PARTITIONS);
        String name = "bridge-latency-" + (++scenarios) + "-" + peer.name().replaceAll("\\W+", "");
        String group = "bench-" + name;
        KafkaHooksFile file = KafkaHooksFile.write(Bench.WORK.resolve(name), bench.kafka.bootstrapServers(), topic,
                sink.url(), group, 10, "");
        RecordSink.Tally tally = sink.expect(samples);
        double[] ms = new double[samples];
        try (BridgePeer.Running running = peer.start(file, Bench.WORK.resolve(name + ".log"), List.of());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bench.kafka.bootstrapServers()))) {
            awaitAssigned(admin, group, Duration.ofSeconds(60));
            for (int seq = 0; seq < samples; seq++) {
                var arrival = tally.watch(seq);
                long produced = System.nanoTime();
                bench.producer.send(new ProducerRecord<>(topic, "k-" + seq, value(seq)));
                bench.producer.flush();
                ms[seq] = (arrival.get(30, TimeUnit.SECONDS) - produced) / 1e6;
                BerthProcess.sleep(100);
            }
        } catch (Exception e) {
            results.notes.add(peer.name() + " latency not measured: " + e.getMessage());
            return new Latency(peer.name(), Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double first = ms[0];
        Arrays.sort(ms);
        Latency latency = new Latency(peer.name(), first, ms[samples / 2], ms[samples - 1], samples);
        System.out.printf("  %s latency: first record %.1f ms, median %.1f ms, max %.1f ms (%d records)%n", peer.name(),
                first, latency.medianMs(), latency.maxMs(), samples);
        return latency;
    }

    private static void awaitAssigned(Admin admin, String group, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
            Collection<MemberDescription> members = description == null ? List.of() : description.members();
            int assigned = members.stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
            if (assigned == PARTITIONS && description.groupState().toString().equalsIgnoreCase("stable")) {
                return;
            }
            BerthProcess.sleep(50);
        }
        throw new IllegalStateException("group " + group + " had not assigned all " + PARTITIONS + " partitions within "
                + within);
    }

    // ---- Report -------------------------------------------------------------------------------

    /** The best run of one peer over its concurrencies (one record per request). */
    Optional<Run> best(String peer) {
        return results.runs.stream().filter(r -> r.peer().equals(peer) && r.recordsPerSecond() > 0
                && !r.status().startsWith("failed") && r.scenario().startsWith("one record per request")).max((a, b) -> Double.compare(a.recordsPerSecond(),
                        b.recordsPerSecond()));
    }

    /**
     * Berth's CPU per record (its process, from ready to the last record) at its highest concurrency
     * with one record per request, without JFR (100 in the full run, 50 in smoke); NaN when not measured.
     */
    double berthCpuMsPerRecord() {
        return results.runs.stream().filter(r -> r.peer().equals("Berth") && r.ok()
                && r.scenario().equals("one record per request")).max((a, b) -> Integer.compare(a.concurrency(),
                        b.concurrency())).map(Run::cpuMsPerRecord).orElse(Double.NaN);
    }

    /** Smoke mode: every Berth run delivered every record once (kafka-hooks' runs are reported, not checked). */
    boolean smokeOk() {
        boolean ok = results.runs.stream().anyMatch(run -> run.peer().equals("Berth"));
        for (Run run : results.runs) {
            if (run.peer().equals("Berth")
                    && (!run.ok() || run.lost() != 0 || run.duplicates() != 0 || !(run.recordsPerSecond() > 0))) {
                System.out.println("BRIDGE SMOKE FAILED: " + run);
                ok = false;
            }
        }
        return ok;
    }

    Path write(Path dir, Map<String, String> machine) throws IOException {
        Files.createDirectories(dir);
        String base = machine.get("date") + "-" + machine.get("host") + "-bridge" + (smoke ? "-smoke" : "");
        Path md = dir.resolve(base + ".md");
        Files.writeString(md, BridgeReport.markdown(results, machine, smoke, best("Berth"), best("kafka-hooks")));
        if (!smoke) {
            Files.copy(md, dir.resolve("bridge-latest.md"), StandardCopyOption.REPLACE_EXISTING);
        }
        return md;
    }
}
