package io.berth.bench;

import static io.berth.bench.Report.f;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Issue 12's targets ("Lean and fast"), each beside its limit and with its verdict, from one run's
 * results; a missed row names the report section that shows why.
 *
 * <pre>
 *  1 CPU      Berth's CPU ms per run ≤ 0.3 (Port 0 ms, 64 in flight)  │ tight client's CPU/request × calls/run
 *             Berth's CPU ms per bridge record ≤ 0.1                  │ tight client's CPU/request to the sink
 *  2 memory   idle RSS ≤ 80 MB, peak ≤ 128 MB (image's JAVA_OPTS)    │ the options' own caps
 *             RSS against runs in flight, linear up to 1,024          │ in flight as Berth's gauge reads it
 *  3 start    first run ≤ 1 s (JDK 25 AOT cache), pushed run ≤ 1 s    │ where the time goes; join per protocol
 *  4 calls    Port calls per run shape, never more                    │ port-agent's count for the shape
 *  5 scale    Port 20 ms: concurrency 64 ≥ 50 × concurrency 1         │ concurrency 1's runs/s × 50
 * </pre>
 */
final class LeanTargets {

    /** {@code met} null: not measured in this run (or informative only, when {@code verdict} says so). */
    record Row(String target, String achieved, String limit, Boolean met, String why) {
        String verdict() {
            return met == null ? (why.isEmpty() ? "not measured" : why) : met ? "met" : "**missed**: " + why;
        }
    }

    static final double CPU_MS_PER_RUN = 0.3;
    static final double CPU_MS_PER_RECORD = 0.1;
    static final double IDLE_MB = 80;
    static final double PEAK_MB = 128;
    static final double FIRST_RUN_MS = 1000;
    static final int IN_FLIGHT_TOP = 1024;
    static final String PROFILE = "[the hot path's JFR profile](#profile-of-the-hot-path-jfr-port-0-ms-concurrency-64)";
    static final String ALLOCATIONS = "[allocation by nearest Berth frame](#profile-of-the-hot-path-jfr-port-0-ms-concurrency-64)";
    static final String BRIDGE_PROFILE = "[the bridge's JFR profile](bridge-latest.md#profile-of-berths-bridge-jfr-concurrency-100)";
    static final String NATIVE = "[where the idle memory goes](#where-the-idle-memory-goes-nmt)";
    static final String TIMELINE = "[where the time goes](#start-up-where-the-time-goes)";

    private final Bench.Results r;

    LeanTargets(Bench.Results results) {
        this.r = results;
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        cpu(rows);
        memory(rows);
        start(rows);
        calls(rows);
        scale(rows);
        return rows;
    }

    private void cpu(List<Row> rows) {
        String target = f("Berth's CPU per run ≤ %.1f ms (process CPU over the span; synchronized webhook via the mapping "
                + "file, Port 0 ms, 64 in flight)", CPU_MS_PER_RUN);
        Optional<Load.Result> run = headline(0, 64);
        if (run.isEmpty() || Double.isNaN(run.get().berthCpuMsPerRun())) {
            rows.add(new Row(target, "-", "-", null, ""));
        } else {
            Load.Result x = run.get();
            double limit = r.portStubClientCpuMs * x.portCallsPerRun();
            rows.add(new Row(target, f("%.3f ms/run (%.3f without the JIT compilers; %.0f KiB allocated/run; %.0f runs/s)",
                    x.berthCpuMsPerRun(), x.cpuMsPerRunWithoutJit(), x.allocatedKiBPerRun(), x.runsPerSecond()),
                    f("%.3f ms/run = tight async client's %.4f ms/request (its event-loop threads' CPU, measured) × %.2f "
                            + "Port calls/run (the webhook call not counted)", limit, r.portStubClientCpuMs,
                            x.portCallsPerRun()),
                    x.berthCpuMsPerRun() <= CPU_MS_PER_RUN, f("%.1f × the target; see %s", x.berthCpuMsPerRun()
                            / CPU_MS_PER_RUN, PROFILE)));
        }
        String bridgeTarget = f("Berth's CPU per bridge record ≤ %.1f ms (its process, ready to last record, one record "
                + "per request, highest concurrency)", CPU_MS_PER_RECORD);
        if (Double.isNaN(r.bridgeCpuMsPerRecord)) {
            rows.add(new Row(bridgeTarget, "-", "-", null, ""));
        } else {
            rows.add(new Row(bridgeTarget, f("%.3f ms/record", r.bridgeCpuMsPerRecord),
                    f("%.4f ms/record = tight async client's CPU per request to the sink (one request per record)",
                            r.sinkClientCpuMs),
                    r.bridgeCpuMsPerRecord <= CPU_MS_PER_RECORD, f("%.1f × the target; see %s",
                            r.bridgeCpuMsPerRecord / CPU_MS_PER_RECORD, BRIDGE_PROFILE)));
        }
    }

    private void memory(List<Row> rows) {
        Bench.Sustained s = r.sustained;
        if (s == null) {
            rows.add(new Row(f("idle RSS ≤ %.0f MB, image's JVM options", IDLE_MB), "-", "-", null, ""));
            rows.add(new Row(f("peak RSS ≤ %.0f MB under sustained load, image's JVM options", PEAK_MB), "-", "-", null, ""));
        } else {
            String options = f("%s `%s` (src/main/docker/Dockerfile.jvm's JAVA_OPTS)", s.jvm(), String.join(" ", s.options()));
            rows.add(new Row(f("idle RSS ≤ %.0f MB (%.1f MiB) with the image's JVM options", IDLE_MB, mib(IDLE_MB)),
                    f("%.1f MiB, %d s after ready (heap used %.0f MiB)", s.idleRssMiB(), s.idleAfterSeconds(),
                            s.idleHeapMiB()), options, s.idleRssMiB() <= mib(IDLE_MB),
                    f("%.0f MiB over; %.0f MiB of the RSS is outside the Java heap in use; see %s and %s",
                            s.idleRssMiB() - mib(IDLE_MB), s.idleRssMiB() - s.idleHeapMiB(), NATIVE, ALLOCATIONS)));
            rows.add(new Row(f("peak RSS ≤ %.0f MB (%.1f MiB) under sustained load (Port 20 ms, 64 in flight)", PEAK_MB,
                    mib(PEAK_MB)), f("%.1f MiB peak over %.1f min (RSS read every 100 ms; %.0f runs/s)%s", s.peakRssMiB(),
                            s.minutes(), s.load().runsPerSecond(), s.alive() ? "" : "; **Berth exited during the load**"),
                    options, s.alive() && s.peakRssMiB() <= mib(PEAK_MB), f("%.0f MiB over; see %s, %s and the sustained "
                            + "samples", s.peakRssMiB() - mib(PEAK_MB), NATIVE, ALLOCATIONS)));
        }
        rows.add(inFlight());
    }

    /** RSS against runs in flight: linear when no point is more than max(10 %, 16 MiB) off the least-squares line. */
    private Row inFlight() {
        String target = f("RSS against runs in flight: linear, reported up to %,d", IN_FLIGHT_TOP);
        List<Load.Result> points = r.memory.stream().filter(m -> !Double.isNaN(m.rssMiB())).toList();
        if (points.size() < 2) {
            return new Row(target, "-", "-", null, "");
        }
        double n = points.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Load.Result p : points) {
            sx += p.concurrency();
            sy += p.rssMiB();
            sxx += (double) p.concurrency() * p.concurrency();
            sxy += p.concurrency() * p.rssMiB();
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = (sy - slope * sx) / n;
        double worst = 0;
        boolean linear = true;
        for (Load.Result p : points) {
            double fitted = intercept + slope * p.concurrency();
            double off = Math.abs(p.rssMiB() - fitted);
            worst = Math.max(worst, off);
            linear &= off <= Math.max(0.10 * fitted, 16);
        }
        Load.Result top = points.get(points.size() - 1);
        boolean reached = top.concurrency() >= IN_FLIGHT_TOP && top.inFlight() >= 0.9 * IN_FLIGHT_TOP;
        StringBuilder series = new StringBuilder();
        points.forEach(p -> series.append(series.length() == 0 ? "" : ", ").append(f("%d: %.0f", p.concurrency(), p.rssMiB())));
        return new Row(target, f("RSS MiB by concurrency %s; %.1f MiB per 1,000 runs in flight, worst point %.1f MiB off "
                + "the line: %s", series, slope * 1000, worst, linear ? "linear" : "not linear"),
                f("in flight at %,d: %.0f (Berth's berth_records_in_flight gauge; Port answering after %d ms, 4 calls/run)",
                        top.concurrency(), top.inFlight(), r.inFlightPortMs),
                linear && reached, !reached ? f("only up to %,d in flight (%.0f read)", top.concurrency(), top.inFlight())
                        : f("not linear; see %s", ALLOCATIONS));
    }

    private void start(List<Row> rows) {
        String target = f("first run handled ≤ %.0f ms after process start, JDK 25 AOT cache", FIRST_RUN_MS);
        Optional<Bench.Startup> aot = r.startup.stream().filter(s -> s.status().equals("ok") && s.mode().contains("AOT"))
                .findFirst();
        Optional<StartTimeline.Trial> where = r.timelines.stream().findFirst();
        String breakdown = where.map(LeanTargets::breakdown).orElse("-");
        if (aot.isEmpty()) {
            String fallback = r.startup.stream().filter(s -> s.status().equals("ok")).findFirst()
                    .map(s -> f("not measured with an AOT cache; %s: %.0f ms", s.mode(), s.firstRunMs())).orElse("-");
            rows.add(new Row(target, fallback, breakdown, null, "not measured (no AOT cache in this mode)"));
        } else {
            rows.add(new Row(target, f("%.0f ms (median of %d, %s)", aot.get().firstRunMs(), aot.get().trials(),
                    aot.get().mode()), breakdown, aot.get().firstRunMs() <= FIRST_RUN_MS, f("%.0f ms over; see %s",
                            aot.get().firstRunMs() - FIRST_RUN_MS, TIMELINE)));
        }
        if (r.timelines.size() == 2) {
            StartTimeline.Trial classic = r.timelines.get(0);
            StartTimeline.Trial consumer = r.timelines.get(1);
            rows.add(new Row("the new consumer group protocol's effect on the join (`BERTH_KAFKA_GROUP_PROTOCOL`)",
                    f("Kafka connected → partitions assigned: classic %.0f ms, consumer %.0f ms; first run handled %.0f vs "
                            + "%.0f ms", join(classic), join(consumer), classic.firstRunMs(), consumer.firstRunMs()),
                    f("%s, median trial of each", classic.mode().replaceAll(", group protocol.*", "")), null,
                    "measured (no target)"));
        }
        String pushedTarget = f("first run pushed over HTTP (POST /cloudevents) handled ≤ %.0f ms after process start",
                FIRST_RUN_MS);
        if (r.pushed == null) {
            rows.add(new Row(pushedTarget, "-", "-", null, ""));
        } else {
            rows.add(new Row(pushedTarget, f("%.0f ms (%s)", r.pushed.firstRunMs(), r.pushed.mode()),
                    f("Quarkus started at %.0f ms, HTTP answered from %.0f ms", r.pushed.at(StartTimeline.QUARKUS_STARTED),
                            r.pushed.at(StartTimeline.PUSH_ACCEPTED)),
                    r.pushed.firstRunMs() <= FIRST_RUN_MS, f("%.0f ms over; see %s", r.pushed.firstRunMs() - FIRST_RUN_MS,
                            TIMELINE)));
        }
    }

    private static double join(StartTimeline.Trial trial) {
        return trial.at(StartTimeline.GROUP_JOINED) - trial.at(StartTimeline.KAFKA_CONNECTED);
    }

    /** The milestones in the order they came, ms since process start (Kafka may connect before Quarkus has started). */
    private static String breakdown(StartTimeline.Trial t) {
        StringBuilder line = new StringBuilder(t.mode()).append(", ms from process start: ");
        for (int i = 0; i < t.milestones().size(); i++) {
            StartTimeline.Milestone m = t.milestones().get(i);
            line.append(i == 0 ? "" : " → ").append(f("%s %.0f", StartTimeline.SHORT.getOrDefault(m.name(), m.name()), m.ms()));
        }
        return line.toString();
    }

    private void calls(List<Row> rows) {
        if (r.shapes.isEmpty()) {
            rows.add(new Row("Port calls per run shape, never more than port-agent", "-", "-", null, ""));
            return;
        }
        for (RunShapes.Result s : r.shapes) {
            OptionalInt agent = PortAgentCalls.perRun(s.shape());
            rows.add(new Row("Port calls per run: " + s.shape() + ", never more than port-agent",
                    f("%.2f (%s; %d runs)", s.callsPerRun(), s.calls(), s.runs()),
                    agent.isPresent() ? f("port-agent: %d", agent.getAsInt()) : "port-agent: no such shape",
                    agent.isPresent() ? s.runs() > 0 && s.callsPerRun() <= agent.getAsInt() : null,
                    agent.isPresent() ? "more calls than port-agent; see [Port calls per run shape](#port-calls-per-run-shape)"
                            : ""));
        }
        rows.add(new Row("Port calls per run: Java handler, never more than port-agent",
                "not measured here: the production jar ships no Java handler (`RunPipelineIT` counts 1 log + its reports "
                        + "+ 1 terminal PATCH)", "port-agent: no Java handlers", null, "not measured"));
    }

    private void scale(List<Row> rows) {
        Optional<Load.Result> c1 = headline(20, 1);
        Optional<Load.Result> c64 = headline(20, 64);
        String target = "Port 20 ms: concurrency 64 keeps ≥ 50 × the runs/s of concurrency 1";
        if (c1.isEmpty() || c64.isEmpty()) {
            rows.add(new Row(target, "-", "-", null, ""));
            return;
        }
        double ratio = c64.get().runsPerSecond() / c1.get().runsPerSecond();
        rows.add(new Row(target, f("%.1f × (%.1f runs/s)", ratio, c64.get().runsPerSecond()),
                f("50 × %.1f = %.1f runs/s", c1.get().runsPerSecond(), 50 * c1.get().runsPerSecond()), ratio >= 50,
                f("see %s", PROFILE)));
    }

    private Optional<Load.Result> headline(long latency, int concurrency) {
        return r.headline.stream().filter(h -> h.portLatencyMs() == latency && h.concurrency() == concurrency
                && h.sinkLatencyMs() == 0).findFirst();
    }

    /** Decimal megabytes, as the targets are written, in MiB, as /proc reports RSS. */
    static double mib(double megabytes) {
        return megabytes * 1e6 / (1024 * 1024);
    }

    /** The section of the report: the table, the start-up timelines, port-agent's source. */
    String markdown() {
        StringBuilder md = new StringBuilder("## Lean and fast (issue 12)\n\nEach target beside its limit, measured in this "
                + "run. Port-agent's calls: " + PortAgentCalls.SOURCE + ".\n\n"
                + "| target | achieved | limit beside it | verdict |\n|---|---|---|---|\n");
        for (Row row : rows()) {
            md.append(f("| %s | %s | %s | %s |%n", row.target(), row.achieved().replace("|", "\\|"),
                    row.limit().replace("|", "\\|"), row.verdict()));
        }
        md.append("\n### Start-up: where the time goes\n\nOne start each, the median trial by first run handled; ms since "
                + "the process started, from Berth's log (its timestamps; Kafka's consumer INFO lines turned on for these "
                + "trials only) and the harness's clocks (the stand-in's). The consumed trials find a run already waiting "
                + "on a fresh topic; the pushed one is posted as soon as Berth answers HTTP.\n\n");
        List<StartTimeline.Trial> all = new ArrayList<>(r.timelines);
        if (r.pushed != null) {
            all.add(r.pushed);
        }
        for (StartTimeline.Trial t : all) {
            md.append(f("**%s**: first run handled at %.0f ms%n%n| ms | milestone | clock |%n|---|---|---|%n", t.mode(),
                    t.firstRunMs()));
            t.milestones().forEach(m -> md.append(f("| %.0f | %s | %s |%n", m.ms(), m.name(), m.clock())));
            md.append("\n");
        }
        NativeMemory.Breakdown nmt = r.nativeMemory;
        if (nmt != null) {
            md.append(f("### Where the idle memory goes (NMT)%n%nA Berth of its own on %s with the image's JAVA_OPTS and "
                    + "`-XX:NativeMemoryTracking=summary`, idle after ready, then `jcmd <pid> VM.native_memory summary`: "
                    + "RSS %.1f MiB, NMT's committed total %.1f MiB (committed is not all resident; the rest of the RSS is "
                    + "files mapped, jars and the CDS archive, and memory NMT does not track).%n%n"
                    + "| category | committed MiB |%n|---|---|%n", nmt.jvm(), nmt.rssMiB(), nmt.trackedMiB()));
            nmt.categories().stream().filter(c -> c.committedMiB() >= 0.5)
                    .forEach(c -> md.append(f("| %s | %.1f |%n", c.name(), c.committedMiB())));
            md.append("\n");
        }
        return md.toString();
    }

    /** Smoke mode: the names of the section's numbers that are missing. */
    List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (Double.isNaN(r.portStubClientCpuMs) || Double.isNaN(r.sinkClientCpuMs)) {
            missing.add("the tight client's CPU per request");
        }
        if (Double.isNaN(r.bridgeCpuMsPerRecord)) {
            missing.add("CPU per bridge record");
        }
        if (r.sustained == null || !(r.sustained.idleRssMiB() > 0) || !(r.sustained.peakRssMiB() > 0)) {
            missing.add("idle and peak RSS with the image's JVM options");
        }
        if (r.memory.isEmpty() || r.memory.stream().anyMatch(m -> Double.isNaN(m.inFlight()))) {
            missing.add("runs in flight");
        }
        if (r.timelines.size() != 2 || r.timelines.stream().anyMatch(t -> Double.isNaN(t.at(StartTimeline.GROUP_JOINED))
                || Double.isNaN(t.at(StartTimeline.QUARKUS_STARTED)) || Double.isNaN(t.at(StartTimeline.KAFKA_CONNECTED)))) {
            missing.add("start-up timelines");
        }
        if (r.pushed == null || !(r.pushed.firstRunMs() > 0)) {
            missing.add("the first pushed run");
        }
        if (r.nativeMemory == null) {
            missing.add("the idle native memory breakdown");
        }
        return missing;
    }
}
