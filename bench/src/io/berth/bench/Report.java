package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The table on stdout, the markdown report, the PNG chart (gnuplot), and the targets. */
final class Report {

    private final Bench.Results r;
    private final boolean smoke;
    private final Duration took;

    Report(Bench.Results results, boolean smoke, Duration took) {
        this.r = results;
        this.smoke = smoke;
        this.took = took;
    }

    // ---- Targets ------------------------------------------------------------------------------

    record Target(String name, String achieved, Boolean met) {
        String verdict() {
            return met == null ? "not measured" : met ? "met" : "**missed**";
        }
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        Optional<Load.Result> c1 = headline(20, 1);
        Optional<Load.Result> c64 = headline(20, 64);
        if (c1.isPresent() && c64.isPresent()) {
            double ratio = c64.get().runsPerSecond() / c1.get().runsPerSecond();
            targets.add(new Target("At 20 ms Port latency, default concurrency ≥ 50 × the runs/s of concurrency 1",
                    f("%.1f × (%.1f vs %.1f runs/s)", ratio, c64.get().runsPerSecond(), c1.get().runsPerSecond()), ratio >= 50));
        } else {
            targets.add(new Target("At 20 ms, default concurrency ≥ 50 × concurrency 1", "-", null));
        }
        Optional<Load.Result> fast = headline(0, 64).or(() -> r.headline.stream().findFirst());
        if (fast.isPresent()) {
            double ceiling = r.portStubRate / fast.get().portCallsPerRun();
            double fraction = fast.get().runsPerSecond() / ceiling;
            targets.add(new Target("At 0 ms, runs/s ≥ ½ × (stand-in's requests/s ÷ Port calls per run)",
                    f("%.1f runs/s = %.2f of %.0f (= %.0f req/s ÷ %.2f calls/run)", fast.get().runsPerSecond(), fraction,
                            ceiling, r.portStubRate, fast.get().portCallsPerRun()), fraction >= 0.5));
        }
        if (r.sustained != null) {
            Bench.Sustained s = r.sustained;
            long refreshEvery = s.tokenLifetimeSeconds() - s.refreshMarginSeconds();
            long expected = 1 + (long) Math.floor(s.minutes() * 60 / refreshEvery);
            targets.add(new Target("One token call per token lifetime",
                    f("%d token calls in %.1f min with %d s tokens refreshed %d s early (expected ≤ %d); headline: %s per 10,000 runs",
                            s.tokenCalls(), s.minutes(), s.tokenLifetimeSeconds(), s.refreshMarginSeconds(), expected,
                            headlineTokens()), s.tokenCalls() <= expected));
        } else {
            targets.add(new Target("One token call per token lifetime", headlineTokens() + " token calls per 10,000 runs (3 h tokens)",
                    null));
        }
        Optional<Bench.Startup> bestCached = r.startup.stream()
                .filter(s -> s.status().equals("ok") && (s.mode().contains("AppCDS") || s.mode().contains("AOT")))
                .min((a, b) -> Double.compare(a.firstRunMs(), b.firstRunMs()));
        targets.add(bestCached.map(s -> new Target("JVM time to the first run handled < 1 s with the AOT cache or AppCDS",
                f("%.0f ms (%s)", s.firstRunMs(), s.mode()), s.firstRunMs() < 1000))
                .orElse(new Target("JVM time to the first run < 1 s with AOT cache or AppCDS", "-", null)));
        if (r.sustained != null && r.sustained.samples().size() >= 4) {
            double[] slope = slopes(r.sustained.samples());
            boolean flat = slope[0] < 1.0;
            targets.add(new Target("Flat memory under ≥ 10 min of sustained load",
                    f("%.1f min: RSS %.0f → %.0f MiB; after minute 2, RSS slope %.2f MiB/min, heap slope %.2f MiB/min",
                            r.sustained.minutes(), r.sustained.samples().get(0).rssMiB(),
                            r.sustained.samples().get(r.sustained.samples().size() - 1).rssMiB(), slope[0], slope[1]),
                    flat && r.sustained.minutes() >= 10));
        } else {
            targets.add(new Target("Flat memory under ≥ 10 min of sustained load", "-", null));
        }
        return targets;
    }

    /** Least-squares slopes (MiB per minute) of RSS and heap over the samples after minute 2. */
    static double[] slopes(List<Bench.Sample> samples) {
        List<Bench.Sample> late = samples.stream().filter(s -> s.minute() >= 2).toList();
        if (late.size() < 3) {
            late = samples;
        }
        return new double[] {slope(late, true), slope(late, false)};
    }

    private static double slope(List<Bench.Sample> samples, boolean rss) {
        double n = samples.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Bench.Sample s : samples) {
            double y = rss ? s.rssMiB() : s.heapMiB();
            sx += s.minute();
            sy += y;
            sxx += s.minute() * s.minute();
            sxy += s.minute() * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private String headlineTokens() {
        return r.headline.stream().map(h -> f("%.1f", h.tokenCallsPer10k())).reduce((a, b) -> a + ", " + b).orElse("-");
    }

    private Optional<Load.Result> headline(long latency, int concurrency) {
        return r.headline.stream().filter(h -> h.portLatencyMs() == latency && h.concurrency() == concurrency
                && h.sinkLatencyMs() == 0).findFirst();
    }

    /** Smoke mode: it ran and produced numbers. */
    int smokeCheck() {
        List<String> missing = new ArrayList<>();
        if (!(r.consumerRate > 0)) {
            missing.add("consumer rate");
        }
        if (!(r.portStubRate > 0) || !(r.sinkRate > 0)) {
            missing.add("HTTP rates");
        }
        for (Load.Result h : r.headline) {
            if (!(h.runsPerSecond() > 0) || Double.isNaN(h.p50Ms()) || !(h.portCallsPerRun() > 0) || h.runs() == 0) {
                missing.add("runs of " + h.label());
            }
        }
        for (RunShapes.Result s : r.shapes) {
            if (s.runs() == 0 || !(s.callsPerRun() > 0)) {
                missing.add("Port calls of " + s.shape());
            }
        }
        for (Bench.Startup s : r.startup) {
            if (!s.status().equals("ok") || !(s.firstRunMs() > 0)) {
                missing.add("start-up " + s.mode());
            }
        }
        missing.addAll(new LeanTargets(r).missing());
        if (missing.isEmpty() && !r.headline.isEmpty()) {
            System.out.println("SMOKE OK");
            return 0;
        }
        System.out.println("SMOKE FAILED: no numbers for " + (missing.isEmpty() ? "the scenarios" : missing));
        return 1;
    }

    // ---- stdout -------------------------------------------------------------------------------

    void printTable() {
        System.out.println();
        System.out.println(runsTable(allRuns()));
        System.out.println(startupTable());
        for (Target t : targets()) {
            System.out.printf("%-10s %s: %s%n", t.verdict().replace("*", ""), t.name(), t.achieved());
        }
        System.out.println();
        System.out.println("Lean and fast (issue 12):");
        for (LeanTargets.Row row : new LeanTargets(r).rows()) {
            System.out.printf("  %s%n    achieved: %s%n    limit:    %s%n    verdict:  %s%n", row.target(), row.achieved(),
                    row.limit(), row.verdict().replace("*", ""));
        }
    }

    private List<Load.Result> allRuns() {
        List<Load.Result> all = new ArrayList<>(r.headline);
        all.addAll(r.scaling);
        all.addAll(r.memory);
        all.addAll(r.webhookPool);
        if (r.profiled != null) {
            all.add(r.profiled);
        }
        if (r.sustained != null) {
            all.add(r.sustained.load());
        }
        return all;
    }

    // ---- Markdown -----------------------------------------------------------------------------

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String base = r.machine.get("date") + "-" + r.machine.get("host") + (smoke ? "-smoke" : "");
        Path md = dir.resolve(base + ".md");
        Path png = dir.resolve(base + ".png");
        String chart = Chart.draw(r, png) ? "![Berth benchmark](" + png.getFileName() + ")\n\n"
                : "_No chart: gnuplot is not installed (apt-get install gnuplot-nox)._\n\n";
        Files.writeString(md, markdown(chart));
        if (!smoke) {
            Files.copy(md, dir.resolve("latest.md"), StandardCopyOption.REPLACE_EXISTING);
        }
        return md;
    }

    private String markdown(String chart) {
        StringBuilder md = new StringBuilder();
        md.append("# Berth benchmark").append(smoke ? " (smoke mode: not figures to quote)" : "").append("\n\n");
        md.append(f("Produced by `bench/run%s` in %d min %d s. Everything ran on this one machine: the KRaft broker, the "
                + "Port stand-in, the sink and the load generator in the harness JVM, Berth's production jar "
                + "(`target/quarkus-app/quarkus-run.jar`) as a child process with the bench's heap cap (" + String.join(" ",
                BerthProcess.memoryOptions) + ") unless a section says otherwise (the sustained load: the container "
                + "image's JAVA_OPTS). "
                + "Berth and the harness share the cores.%n%n", smoke ? " --smoke" : "", took.toMinutes(),
                took.toSecondsPart()));
        md.append("## Machine\n\n| | |\n|---|---|\n");
        r.machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append("\n## Targets\n\n| target | achieved | verdict |\n|---|---|---|\n");
        for (Target t : targets()) {
            md.append("| ").append(t.name()).append(" | ").append(t.achieved()).append(" | ").append(t.verdict()).append(" |\n");
        }
        md.append("\n").append(chart);
        md.append(new LeanTargets(r).markdown());
        md.append("## Limits of this machine for the same workload\n\n| ceiling | rate |\n|---|---|\n");
        md.append(f("| bare KafkaConsumer loop over run records (3 partitions) | %.0f records/s |%n", r.consumerRate));
        md.append(f("| tight async HTTP client (64 in flight) → Port stand-in, POST run log | %.0f requests/s |%n", r.portStubRate));
        md.append(f("| tight async HTTP client (64 in flight) → sink, POST run message | %.0f requests/s |%n%n", r.sinkRate));
        md.append("## Port runs, end to end\n\nFrom the record produced to the terminal PATCH received by the Port stand-in; "
                + "runs go through the webhook invoker (synchronized webhook, port-agent's `{\"enabled\": true}` mapping) "
                + "to the sink. Closed loop: at most 2 × concurrency + 8 runs unfinished, so latency includes a bounded "
                + "queue. Each run has its own entity.\n\n");
        md.append(runsTable(r.headline)).append("\n");
        if (!r.shapes.isEmpty()) {
            md.append("## Port calls per run shape\n\nEvery call about one run at the Port stand-in (token calls aside), "
                    + "per run: `PATCH` is `PATCH /v1/actions/runs/{id}` (fields and status). A Java handler's run is "
                    + "1 log + its own reports (fields set back to back in one PATCH) + 1 terminal PATCH; the "
                    + "production jar ships none (the test suite counts it).\n\n"
                    + "| shape | runs | Port calls/run | PATCH /runs/{id} per run | calls by kind, per run |\n|---|---|---|---|---|\n");
            for (RunShapes.Result s : r.shapes) {
                md.append(f("| %s | %d | %.2f | %.2f | %s |%n", s.shape(), s.runs(), s.callsPerRun(), s.runPatchesPerRun(),
                        s.calls()));
            }
            md.append("\n");
        }
        if (!r.scaling.isEmpty()) {
            md.append("## Scaling: partitions × concurrency (Port latency 20 ms)\n\n").append(scalingMatrix()).append("\n");
            md.append(runsTable(r.scaling)).append("\n");
        }
        if (!r.memory.isEmpty()) {
            md.append(f("## Memory against runs in flight (Port latency %d ms, so in flight ≈ concurrency)%n%n"
                    + "`in flight` is Berth's own `berth_records_in_flight` gauge, read with RSS near the span's end.%n%n",
                    r.inFlightPortMs))
                    .append(runsTable(r.memory)).append("\n");
        }
        if (!r.webhookPool.isEmpty()) {
            md.append("## Webhook sink latency 100 ms (Port 0 ms)\n\n").append(runsTable(r.webhookPool)).append("\n");
        }
        md.append("## Start-up\n\nA run waits on a fresh topic before the process starts; times from process start. "
                + "Median of the trials; idle RSS 3 s after the first run.\n\n").append(startupTable()).append("\n");
        if (r.profile != null) {
            md.append("## Profile of the hot path (JFR, Port 0 ms, concurrency 64)\n\n");
            md.append(f("%d execution samples; %s.%n%n", r.profile.samples(), r.profiled == null ? ""
                    : f("%.1f runs/s while recording", r.profiled.runsPerSecond())));
            md.append(profileTable("Top frames by package", r.profile.packages()));
            md.append(profileTable("Top frames", r.profile.topFrames()));
            md.append(profileTable("Nearest Berth frame on the stack", r.profile.berthFrames()));
            md.append(profileTable("Allocation by nearest Berth frame (sampled KiB; % of all sampled bytes)",
                    r.profile.allocations()));
        }
        if (r.sustained != null) {
            md.append(f("## Sustained load (%.1f min, Port 20 ms, concurrency 64)%n%n%s with the image's JVM options `%s` "
                    + "(src/main/docker/Dockerfile.jvm's JAVA_OPTS): idle RSS %.1f MiB %d s after ready, peak %.1f MiB under "
                    + "the load (read every 100 ms)%s.%n%n", r.sustained.minutes(), r.sustained.jvm(),
                    String.join(" ", r.sustained.options()), r.sustained.idleRssMiB(), r.sustained.idleAfterSeconds(),
                    r.sustained.peakRssMiB(),
                    r.sustained.alive() ? "" : "; **Berth exited during the load**"));
            md.append(runsTable(List.of(r.sustained.load()))).append("\n| minute | RSS MiB | heap used MiB |\n|---|---|---|\n");
            for (Bench.Sample s : r.sustained.samples()) {
                md.append(f("| %.1f | %.0f | %.0f |%n", s.minute(), s.rssMiB(), s.heapMiB()));
            }
            md.append("\n");
        }
        for (String note : r.notes) {
            md.append("- ").append(note).append("\n");
        }
        return md.toString();
    }

    private String runsTable(List<Load.Result> runs) {
        StringBuilder t = new StringBuilder("| scenario | partitions | concurrency | Port ms | sink ms | runs/s | p50 ms | p99 ms | "
                + "max ms | Port calls/run | token calls/10k runs | runs | RSS MiB | heap MiB | Berth CPU ms/run "
                + "| without JIT | KiB allocated/run | in flight |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Load.Result x : runs) {
            t.append(f("| %s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %d | %.0f | %.0f | %.2f | %.2f | %.0f | %.0f |%n", x.label(),
                    x.partitions(), x.concurrency(), x.portLatencyMs(), x.sinkLatencyMs(), x.runsPerSecond(), x.p50Ms(),
                    x.p99Ms(), x.maxMs(), x.portCallsPerRun(), x.tokenCallsPer10k(), x.runs(), x.rssMiB(), x.heapMiB(),
                    x.berthCpuMsPerRun(), x.cpuMsPerRunWithoutJit(), x.allocatedKiBPerRun(), x.inFlight()));
        }
        return t.toString();
    }

    private String scalingMatrix() {
        StringBuilder t = new StringBuilder("| runs/s | c1 | c4 | c16 | c64 |\n|---|---|---|---|---|\n");
        for (int p : new int[] {1, 3, 12}) {
            t.append("| ").append(p).append(p == 1 ? " partition" : " partitions");
            for (int c : new int[] {1, 4, 16, 64}) {
                t.append(" | ").append(r.scaling.stream().filter(x -> x.partitions() == p && x.concurrency() == c)
                        .findFirst().map(x -> f("%.1f", x.runsPerSecond())).orElse("-"));
            }
            t.append(" |\n");
        }
        return t.toString();
    }

    private String startupTable() {
        StringBuilder t = new StringBuilder("| JVM | status | ready ms | first run handled ms | idle RSS MiB | trials |\n"
                + "|---|---|---|---|---|---|\n");
        for (Bench.Startup s : r.startup) {
            t.append(f("| %s | %s | %.0f | %.0f | %.0f | %d |%n", s.mode(), s.status(), s.readyMs(), s.firstRunMs(),
                    s.idleRssMiB(), s.trials()));
        }
        return t.toString();
    }

    static String profileTable(String title, List<Profile.Row> rows) {
        StringBuilder t = new StringBuilder("**" + title + "**\n\n| frame | samples | % |\n|---|---|---|\n");
        for (Profile.Row row : rows) {
            t.append(f("| `%s` | %d | %.1f |%n", row.frame(), row.samples(), row.percent()));
        }
        return t.append("\n").toString();
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** The PNG: one panel per measured series, drawn by gnuplot. */
    static final class Chart {

        private Chart() {
        }

        static boolean draw(Bench.Results r, Path png) throws IOException {
            if (Machine.command("gnuplot", "--version").equals("not found")) {
                return false;
            }
            Path dir = Bench.WORK.resolve("chart");
            Files.createDirectories(dir);
            List<String> panels = new ArrayList<>();
            StringBuilder headline = new StringBuilder();
            int i = 0;
            for (Load.Result h : r.headline) {
                headline.append(f("%d \"%s\" %.2f%n", i++, h.label().replace("Port ", "").replace("concurrency ", "c"),
                        h.runsPerSecond()));
            }
            if (!r.headline.isEmpty()) {
                Files.writeString(dir.resolve("headline.dat"), headline);
                double ceiling = r.portStubRate / r.headline.get(r.headline.size() - 1).portCallsPerRun();
                panels.add(f("set title 'Runs/s (Port stand-in ceiling ÷ calls per run = %.0f)'; set logscale y; set style fill solid 0.6; "
                        + "set boxwidth 0.6; set yrange [1:*]; set xtics rotate by -20; unset logscale x; set xlabel ''; "
                        + "set ylabel 'runs/s'; plot '%s' using 1:3:xtic(2) with boxes notitle, %.2f with lines dt 2 title 'ceiling'",
                        ceiling, dir.resolve("headline.dat"), ceiling));
            }
            if (!r.scaling.isEmpty()) {
                StringBuilder plot = new StringBuilder();
                for (int p : new int[] {1, 3, 12}) {
                    StringBuilder data = new StringBuilder();
                    r.scaling.stream().filter(x -> x.partitions() == p)
                            .forEach(x -> data.append(f("%d %.2f%n", x.concurrency(), x.runsPerSecond())));
                    Files.writeString(dir.resolve("scaling-" + p + ".dat"), data);
                    plot.append(plot.length() == 0 ? "plot " : ", ")
                            .append(f("'%s' using 1:2 with linespoints title '%d partitions'", dir.resolve("scaling-" + p + ".dat"), p));
                }
                panels.add("set title 'Scaling at Port 20 ms'; unset logscale y; set logscale x 2; set xtics norotate; set xtics auto; "
                        + "set xlabel 'concurrency'; set ylabel 'runs/s'; set yrange [0:*]; " + plot);
            }
            if (!r.memory.isEmpty()) {
                StringBuilder data = new StringBuilder();
                r.memory.forEach(x -> data.append(f("%d %.1f %.1f%n", x.concurrency(), x.rssMiB(), x.heapMiB())));
                Files.writeString(dir.resolve("memory.dat"), data);
                panels.add(f("set title 'Memory against runs in flight'; unset logscale y; set logscale x 2; set xtics norotate; set xtics auto; "
                        + "set xlabel 'runs in flight'; set ylabel 'MiB'; set yrange [0:*]; plot '%1$s' using 1:2 with linespoints "
                        + "title 'RSS', '%1$s' using 1:3 with linespoints title 'heap used'", dir.resolve("memory.dat")));
            }
            if (r.sustained != null && !r.sustained.samples().isEmpty()) {
                StringBuilder data = new StringBuilder();
                r.sustained.samples().forEach(s -> data.append(f("%.2f %.1f %.1f%n", s.minute(), s.rssMiB(), s.heapMiB())));
                Files.writeString(dir.resolve("sustained.dat"), data);
                panels.add(f("set title 'Sustained load: memory over time'; unset logscale y; unset logscale x; set xtics norotate; "
                        + "set xtics auto; set xlabel 'minute'; set ylabel 'MiB'; set yrange [0:*]; plot '%1$s' using 1:2 "
                        + "with lines title 'RSS', '%1$s' using 1:3 with lines title 'heap used'", dir.resolve("sustained.dat")));
            }
            if (!r.startup.isEmpty()) {
                StringBuilder data = new StringBuilder();
                int j = 0;
                for (Bench.Startup s : r.startup) {
                    data.append(f("%d \"%s\" %.1f %.1f%n", j++, s.mode().replaceAll(" \\(.*", ""),
                            Double.isNaN(s.readyMs()) ? 0 : s.readyMs(), Double.isNaN(s.firstRunMs()) ? 0 : s.firstRunMs()));
                }
                Files.writeString(dir.resolve("startup.dat"), data);
                panels.add(f("set title 'Start-up (ms from process start)'; unset logscale y; unset logscale x; set style fill solid 0.6; "
                        + "set boxwidth 0.35; set xtics rotate by -20; set xlabel ''; set ylabel 'ms'; set yrange [0:*]; set key top right; "
                        + "plot '%1$s' using ($1-0.18):3 with boxes title 'ready', '%1$s' using ($1+0.18):4:xtic(2) with boxes "
                        + "title 'first run handled', 1000 with lines dt 2 title '1 s target'", dir.resolve("startup.dat")));
            }
            int rows = (panels.size() + 1) / 2;
            StringBuilder script = new StringBuilder(f("set terminal pngcairo size 1400,%d font 'Sans,10'%nset output '%s'%n"
                    + "set grid%nset key top left%nset multiplot layout %d,2 title 'Berth benchmark, %s, %s cores'%n",
                    420 * rows, png.toAbsolutePath(), rows, r.machine.get("date"), r.machine.get("cores (nproc)")));
            for (String panel : panels) {
                script.append(panel).append("\n");
            }
            script.append("unset multiplot\n");
            Path gp = dir.resolve("chart.gp");
            Files.writeString(gp, script);
            try {
                Process gnuplot = new ProcessBuilder("gnuplot", gp.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("gnuplot.log").toFile()).start();
                return gnuplot.waitFor(60, TimeUnit.SECONDS) && gnuplot.exitValue() == 0 && Files.exists(png);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
