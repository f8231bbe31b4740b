package io.berth.bench;

import static io.berth.bench.Report.f;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/** The bridge's report: targets of issue 9 §7, ceilings, every run, latency, profile. */
final class BridgeReport {

    private BridgeReport() {
    }

    static List<Report.Target> targets(BridgeBench.Results r, Optional<BridgeBench.Run> berth,
            Optional<BridgeBench.Run> hooks) {
        List<Report.Target> targets = new ArrayList<>();
        // The JVM's own ceiling in the same run, said beside each target it bounds.
        Optional<BridgeBench.Run> bare = bare(r, "one record per request");
        Optional<BridgeBench.Run> bareBatch = bare(r, "batch");
        if (berth.isPresent() && hooks.isPresent()) {
            double ratio = berth.get().recordsPerSecond() / hooks.get().recordsPerSecond();
            targets.add(new Report.Target("Berth ≥ 1.5 × kafka-hooks' best records/s", f("%.2f × (%.0f vs %.0f records/s; "
                    + "Berth's %s)%s", ratio, berth.get().recordsPerSecond(), hooks.get().recordsPerSecond(),
                    berth.get().scenario(), bare.map(b -> f("; the bare JVM bridge: %.2f × (%.0f records/s)",
                            b.recordsPerSecond() / hooks.get().recordsPerSecond(), b.recordsPerSecond())).orElse("")),
                    ratio >= 1.5));
        } else {
            targets.add(new Report.Target("Berth ≥ 1.5 × kafka-hooks' best records/s", "kafka-hooks not measured", null));
        }
        berth.ifPresent(b -> {
            double share = b.recordsPerSecond() / r.sinkCapacity;
            targets.add(new Report.Target("Berth ≥ 75 % of the sink's capacity", f("%.0f %% (%.0f of %.0f requests/s)%s",
                    100 * share, b.recordsPerSecond(), r.sinkCapacity, bare.map(ceiling -> f("; the bare JVM bridge: %.0f %%",
                            100 * ceiling.recordsPerSecond() / r.sinkCapacity)).orElse("")), share >= 0.75));
        });
        // The best batched row, named: the image's JVM with and without C1 alone, and the bench's java.
        r.runs.stream().filter(run -> run.peer().equals("Berth") && run.scenario().startsWith("batch") && run.ok())
                .max(Comparator.comparingDouble(BridgeBench.Run::recordsPerSecond)).ifPresent(batch -> {
            boolean batched = batch.sinkRequests() < batch.delivered();
            targets.add(new Report.Target("With batching, records/s beyond the sink's request rate", batched
                    ? f("%.0f records/s in %d requests (%s; sink %.0f requests/s)%s", batch.recordsPerSecond(),
                            batch.sinkRequests(), batch.scenario(), r.sinkCapacity, bareBatch.map(b -> f(
                                    "; the bare JVM bridge: %.0f records/s", b.recordsPerSecond())).orElse(""))
                    : "batching not served by this build: one request per record", batched
                            ? batch.recordsPerSecond() > r.sinkCapacity : null));
        });
        // The image's row is what a user of the container gets; the other rows (the bench's java, its
        // heap cap) are said beside it, and decide alone when the image's row is missing (smoke).
        Predicate<BridgeBench.Run> onImage = run -> run.scenario().contains(BridgeBench.IMAGE_JVM);
        Predicate<BridgeBench.Run> withC1Only = run -> run.scenario().endsWith(BridgeBench.WITH_C1_ONLY);
        OptionalDouble shipped = peakRss(r, onImage.and(withC1Only.negate()));
        OptionalDouble c1 = peakRss(r, onImage.and(withC1Only));
        OptionalDouble onBenchJvm = peakRss(r, onImage.negate());
        if (shipped.isPresent()) {
            double peak = shipped.getAsDouble();
            targets.add(new Report.Target("Berth's peak RSS < 150 MB", f("%.0f MiB = %.0f MB with the image's JVM and "
                    + "JAVA_OPTS%s%s", peak, peak * 1.048576, c1.isPresent() ? f(" (%.0f MiB with C1 only)", c1.getAsDouble())
                            : "", onBenchJvm.isPresent() ? f("; %.0f MiB on %s with %s",
                            onBenchJvm.getAsDouble(), Bench.berthJvm().name(), String.join(" ", BerthProcess.memoryOptions)) : "")
                    + bareRss(r), peak * 1.048576 < 150));
        } else {
            onBenchJvm.ifPresent(peak -> targets.add(new Report.Target("Berth's peak RSS < 150 MB", f("%.0f MiB = %.0f MB "
                    + "(%s, %s)", peak, peak * 1.048576, Bench.berthJvm().name(), String.join(" ", BerthProcess.memoryOptions)),
                    peak * 1.048576 < 150)));
        }
        r.latencies.stream().filter(l -> l.peer().equals("Berth")).findFirst().ifPresent(l -> targets.add(
                new Report.Target("First record produced → delivered on a started Berth < 0.5 s",
                        f("%.1f ms (then median %.1f ms, max %.1f ms of %d)", l.firstMs(), l.medianMs(), l.maxMs(),
                                l.samples()), l.samples() > 0 ? l.firstMs() < 500 : null)));
        long lost = r.runs.stream().mapToLong(BridgeBench.Run::lost).filter(n -> n > 0).sum();
        long duplicated = r.runs.stream().mapToLong(BridgeBench.Run::duplicates).sum();
        long incomplete = r.runs.stream().filter(run -> run.lost() < 0).count();
        targets.add(new Report.Target("No record lost or duplicated, either peer", f("%d lost, %d duplicated over %d runs%s",
                lost, duplicated, r.runs.size(), incomplete == 0 ? "" : f(" (%d cut off by the %d s bound: their "
                        + "undelivered records are not counted as lost)", incomplete, BridgeBench.RUN_BOUND.toSeconds())),
                lost == 0 && duplicated == 0));
        return targets;
    }

    /** The bare JVM bridge's row of {@code scenario} (one record per request, batch), when it ran and delivered all. */
    private static Optional<BridgeBench.Run> bare(BridgeBench.Results r, String scenario) {
        return r.runs.stream().filter(run -> run.peer().equals(BridgePeer.BARE_JVM_BRIDGE) && run.ok()
                && run.lost() == 0 && run.scenario().startsWith(scenario)).findFirst();
    }

    private static String bareRss(BridgeBench.Results r) {
        OptionalDouble peak = r.runs.stream().filter(run -> run.peer().equals(BridgePeer.BARE_JVM_BRIDGE) && run.ok())
                .mapToDouble(BridgeBench.Run::peakRssMiB).max();
        return peak.isPresent() ? f("; the bare JVM bridge: %.0f MiB", peak.getAsDouble()) : "";
    }

    private static OptionalDouble peakRss(BridgeBench.Results r, Predicate<BridgeBench.Run> which) {
        return r.runs.stream().filter(run -> run.peer().equals("Berth") && run.ok() && !run.scenario().contains("JFR"))
                .filter(which).mapToDouble(BridgeBench.Run::peakRssMiB).max();
    }

    static String markdown(BridgeBench.Results r, Map<String, String> machine, boolean smoke,
            Optional<BridgeBench.Run> berth, Optional<BridgeBench.Run> hooks) {
        StringBuilder md = new StringBuilder("# Kafka → HTTP bridge: Berth and kafka-hooks 0.6.4")
                .append(smoke ? " (smoke mode: not figures to quote)" : "").append("\n\n");
        md.append(f("%,d records of %d B (key `k-<seq>`, value `{\"seq\":n,\"pad\":\"x…\"}`) on %d partitions, already on "
                + "the topic, delivered by each peer from a fresh consumer group to one local sink (Vert.x, 200 at "
                + "once, counting each record's sequence). Both peers read the same kafka-hooks file "
                + "(`mode: committed`, `fallbackMode: earliest`, `concurrency` set, `dlq: false`); Berth is the "
                + "production jar as a bridge alone (`BERTH_BRIDGE_PATH`, no Port setting), on %s with %s, and "
                + "once (\"%s\") on the container image's java with its `JAVA_OPTS` (src/main/docker/Dockerfile.jvm); "
                + "kafka-hooks runs under `wattpm start` 3.67.0 on Node 22. Records/s = records ÷ (last arrival − "
                + "first arrival); peak RSS is the process tree's VmRSS, read every 100 ms.%n%n", r.records,
                BridgeBench.RECORD_BYTES, BridgeBench.PARTITIONS, Bench.berthJvm().name(),
                String.join(" ", BerthProcess.memoryOptions), BridgeBench.AS_SHIPPED));
        md.append("## Machine\n\n| | |\n|---|---|\n");
        machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append("\n## Targets\n\n| target | achieved | verdict |\n|---|---|---|\n");
        for (Report.Target t : targets(r, berth, hooks)) {
            md.append("| ").append(t.name()).append(" | ").append(t.achieved()).append(" | ").append(t.verdict()).append(" |\n");
        }
        md.append("\n## Ceilings in the same run\n\n| ceiling | rate |\n|---|---|\n");
        md.append(f("| bare KafkaConsumer over the %,d records | %.0f records/s |%n", r.records, r.consumerRate));
        md.append(f("| sink, POST of one 200 B record (%s) | %.0f requests/s |%n", r.sinkTool, r.sinkCapacity));
        md.append(f("| Vert.x's HTTP client alone against the sink (in the harness's JVM, 100 in flight, after as long a "
                + "warm-up): what a JVM bridge on it cannot beat | %.0f requests/s, %.3f ms CPU per request |%n%n",
                r.vertxClient.perSecond(), r.vertxClient.cpuMsPerRequest()));
        if (bare(r, "").isPresent()) {
            md.append("The bare JVM bridge's rows below (`bench/src/io/berth/bench/BareJvmBridge.java`) are a ceiling too: "
                    + "one KafkaConsumer and Vert.x's client in a process started cold on the image's java and "
                    + "`JAVA_OPTS`, reading the same file, with no group, no commits, no order, no retries and no "
                    + "dead letters. A bridge on this JVM and this client cannot beat it over the workload: whatever "
                    + "it does per record, the bare bridge does not, and its JIT warm-up is the least there is.\n\n");
        }
        md.append("## Runs\n\nRecords/s is over all the records, as the targets count it; the second half's rate is over the last "
                + "half of them, the peer warmer (most of its JIT done).\n\n| peer | scenario | concurrency | records/s | second half | % of sink | delivered | lost | duplicated "
                + "| sink requests | peak RSS MiB | CPU ms/record | without JIT | status |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BridgeBench.Run run : r.runs) {
            md.append(f("| %s | %s | %d | %.0f | %.0f | %.0f %% | %d | %s | %d | %d | %.0f | %.3f | %.3f | %s |%n", run.peer(), run.scenario(),
                    run.concurrency(), run.recordsPerSecond(), run.secondHalfPerSecond(), 100 * run.recordsPerSecond() / r.sinkCapacity,
                    run.delivered(), run.lost() < 0 ? "n/a" : String.valueOf(run.lost()), run.duplicates(), run.sinkRequests(), run.peakRssMiB(), run.cpuMsPerRecord(),
                    run.cpuMsPerRecordWithoutJit(), run.status()));
        }
        if (berth.isPresent() && hooks.isPresent()) {
            md.append(f("%nBest of each: Berth %.0f records/s (concurrency %d), kafka-hooks %.0f records/s (concurrency %d): "
                    + "ratio %.2f.%n", berth.get().recordsPerSecond(), berth.get().concurrency(),
                    hooks.get().recordsPerSecond(), hooks.get().concurrency(),
                    berth.get().recordsPerSecond() / hooks.get().recordsPerSecond()));
        }
        md.append("\n## Latency on a started peer\n\nThe peer started on an empty topic and its group stable with all "
                + "partitions assigned; then one record at a time, each produced 100 ms after the previous one "
                + "arrived.\n\n| peer | first record ms | median ms | max ms | records |\n|---|---|---|---|---|\n");
        for (BridgeBench.Latency l : r.latencies) {
            md.append(f("| %s | %.1f | %.1f | %.1f | %d |%n", l.peer(), l.firstMs(), l.medianMs(), l.maxMs(), l.samples()));
        }
        if (r.profile != null) {
            md.append(f("%n## Profile of Berth's bridge (JFR, concurrency 100)%n%n%d execution samples.%n%n",
                    r.profile.samples()));
            md.append(Report.profileTable("Top frames by package", r.profile.packages()));
            md.append(Report.profileTable("Nearest Berth frame on the stack", r.profile.berthFrames()));
        }
        if (!r.notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            r.notes.forEach(n -> md.append("- ").append(n).append("\n"));
        }
        return md.toString();
    }
}
