package io.berth.bench;

import static io.berth.bench.Report.f;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * What the five example handlers cost while inactive (issue 14): the production jar against a build
 * without them ({@code -DwithoutExampleHandlers}: no io.berth.handlers.{scaffold,database,migration,
 * deploy,scale}, no JGit, PostgreSQL driver, Flyway or Kubernetes client), each started several times
 * with no handler setting, alternately, so that a drift of the machine's load touches both alike.
 */
final class HandlersCost {

    static final Path WITHOUT_APP = Path.of("target/without-example-handlers/quarkus-app");
    private static final Path WITH_APP = BerthProcess.JAR.getParent();
    private static final String JCMD = "/usr/lib/jvm/java-17-openjdk-amd64/bin/jcmd";
    /** Settled after ready: the Kafka consumer has joined and the first metrics scrape is done. */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    record Trial(double readyMs, double rssMiB, double heapMiB, double loadedClasses, double metaspaceKiB, long notOffered) {
    }

    record Build(String name, Path app, List<Trial> trials, long libBytes, long libJars, long appBytes) {
        double median(ToDoubleFunction<Trial> of) {
            double[] sorted = trials.stream().mapToDouble(of).sorted().toArray();
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
        }

        /** Run-to-run spread: the largest minus the smallest of the trials. */
        double range(ToDoubleFunction<Trial> of) {
            return trials.stream().mapToDouble(of).max().orElse(Double.NaN)
                    - trials.stream().mapToDouble(of).min().orElse(Double.NaN);
        }
    }

    private final Bench bench;
    private final int trials;

    HandlersCost(Bench bench, int trials) {
        this.bench = bench;
        this.trials = trials;
    }

    /** Measures both builds and writes the report; 1 if a build is missing or a start failed. */
    int run(Path reports, Map<String, String> machine) throws IOException {
        for (Path app : List.of(WITH_APP, WITHOUT_APP)) {
            if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
                System.err.println("bench: no " + app.resolve("quarkus-run.jar") + " (bench/run builds it with "
                        + "--only-handlers-cost)");
                return 1;
            }
        }
        List<Trial> with = new ArrayList<>();
        List<Trial> without = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            with.add(trial(WITH_APP, "handlers-cost-with-" + i));
            without.add(trial(WITHOUT_APP, "handlers-cost-without-" + i));
        }
        Build withBuild = build("production jar (five example handlers, inactive)", WITH_APP, with);
        Build withoutBuild = build("built -DwithoutExampleHandlers", WITHOUT_APP, without);
        String markdown = markdown(withBuild, withoutBuild, machine);
        System.out.println(markdown);
        Files.createDirectories(reports);
        String base = machine.get("date") + "-" + machine.get("host") + "-handlers-cost" + (bench.smoke ? "-smoke" : "");
        Path md = reports.resolve(base + ".md");
        Files.writeString(md, markdown);
        if (!bench.smoke) {
            Files.writeString(reports.resolve("handlers-cost-latest.md"), markdown);
        }
        System.out.println("Handlers cost report: " + md);
        return 0;
    }

    /** One start with no handler setting: ready, then settled, then RSS, heap and loaded classes. */
    private Trial trial(Path app, String name) {
        Path log = Bench.WORK.resolve(name + ".log");
        try (BerthProcess berth = BerthProcess.start(Bench.berthJvm(), app.resolve("quarkus-run.jar"),
                bench.env(bench.topic(1), 64), log)) {
            // Three minutes: on the shared 2-core machine a start has taken 82 s (load average 40); the
            // classes and memory read after ready do not depend on how long it took.
            Duration ready = berth.awaitReady(Duration.ofMinutes(3), log);
            BerthProcess.sleep(SETTLE.toMillis());
            String counters = perfCounters(berth.process.pid());
            Trial trial = new Trial(ready.toNanos() / 1e6, berth.rssMiB(), berth.heapUsedMiB(),
                    counter(counters, "java.cls.loadedClasses") - counter(counters, "java.cls.unloadedClasses"),
                    counter(counters, "sun.gc.metaspace.used") / 1024, notOffered(log));
            System.out.printf("  %-28s ready %6.0f ms, RSS %5.1f MiB, heap %5.1f MiB, %6.0f classes loaded, "
                    + "metaspace %6.0f KiB%n", name, trial.readyMs(), trial.rssMiB(), trial.heapMiB(),
                    trial.loadedClasses(), trial.metaspaceKiB());
            return trial;
        }
    }

    /** HotSpot's own counters (jcmd PerfCounter.print): classes loaded and unloaded, metaspace used. */
    private static String perfCounters(long pid) {
        try {
            Process jcmd = new ProcessBuilder(JCMD, String.valueOf(pid), "PerfCounter.print").redirectErrorStream(true)
                    .start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static double counter(String perfCounters, String name) {
        for (String line : perfCounters.split("\n")) {
            if (line.startsWith(name + "=")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    /** How many "is not offered" lines the start-up log has: 5 for the production jar, 0 without. */
    private static long notOffered(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("is not offered")).count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Build build(String name, Path app, List<Trial> trials) throws IOException {
        List<Path> libJars;
        try (Stream<Path> files = Files.walk(app.resolve("lib"))) {
            libJars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        return new Build(name, app, trials, bytes(libJars), libJars.size(), bytesUnder(app));
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return bytes(files.filter(Files::isRegularFile).toList());
        }
    }

    private static long bytes(List<Path> files) {
        return files.stream().mapToLong(p -> {
            try {
                return Files.size(p);
            } catch (IOException e) {
                return 0;
            }
        }).sum();
    }

    // ---- Report -------------------------------------------------------------------------------

    private String markdown(Build with, Build without, Map<String, String> machine) {
        StringBuilder md = new StringBuilder("# What the inactive example handlers cost")
                .append(bench.smoke ? " (smoke mode: not figures to quote)" : "").append("\n\n");
        md.append(f("The production jar (`%s`, the five example handlers present and inactive: no `BERTH_SCAFFOLD_*`, "
                + "`BERTH_DATABASE_*`, `BERTH_MIGRATION_*`, `BERTH_DEPLOY_*` or `BERTH_SCALE_*` setting) against the same "
                + "commit built with `-DwithoutExampleHandlers` (`%s`: the packages io.berth.handlers.{scaffold, "
                + "database, migration, deploy, scale} not compiled, and no JGit, PostgreSQL driver, Flyway or "
                + "quarkus-kubernetes-client). Each started %d times, alternately, on JDK 17 with the bench's "
                + "settings (the embedded broker, the Port stand-in, a fresh topic, heap capped at %s); ready is "
                + "process start → `/q/health/ready` 200; RSS, heap used and loaded classes (HotSpot's "
                + "`java.cls.loadedClasses` − `unloadedClasses`, by `jcmd PerfCounter.print`) are read %d s after "
                + "ready. Figures are medians; the spread is the largest minus the smallest trial. A difference is "
                + "within noise when it is no larger than the larger of the two spreads.%n%n", WITH_APP, WITHOUT_APP,
                trials, BerthProcess.HEAP, SETTLE.toSeconds()));
        md.append("## Machine\n\n| | |\n|---|---|\n");
        machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append("\n## Result\n\n| measure | with (median, spread) | without (median, spread) | difference | verdict |\n"
                + "|---|---|---|---|---|\n");
        row(md, with, without, "start-up to ready, ms", Trial::readyMs, "%.0f");
        row(md, with, without, "RSS after start, MiB", Trial::rssMiB, "%.1f");
        row(md, with, without, "heap used after start, MiB", Trial::heapMiB, "%.1f");
        row(md, with, without, "loaded classes", Trial::loadedClasses, "%.0f");
        row(md, with, without, "metaspace used, KiB (`sun.gc.metaspace.used`)", Trial::metaspaceKiB, "%.0f");
        md.append(f("| `lib/` size (jars) | %.1f MiB (%d) | %.1f MiB (%d) | %+.1f MiB (%+d jars) | on disk only: not "
                + "loaded while inactive |%n", with.libBytes() / 1048576.0, with.libJars(), without.libBytes() / 1048576.0,
                without.libJars(), (with.libBytes() - without.libBytes()) / 1048576.0, with.libJars() - without.libJars()));
        md.append(f("| `quarkus-app/` size | %.1f MiB | %.1f MiB | %+.1f MiB | |%n%n", with.appBytes() / 1048576.0,
                without.appBytes() / 1048576.0, (with.appBytes() - without.appBytes()) / 1048576.0));
        md.append("## Every start\n\n| build | trial | ready ms | RSS MiB | heap MiB | loaded classes | metaspace KiB | "
                + "\"is not offered\" log lines |\n|---|---|---|---|---|---|---|---|\n");
        for (Build build : List.of(with, without)) {
            for (int i = 0; i < build.trials().size(); i++) {
                Trial t = build.trials().get(i);
                md.append(f("| %s | %d | %.0f | %.1f | %.1f | %.0f | %.0f | %d |%n", build.name(), i + 1, t.readyMs(),
                        t.rssMiB(), t.heapMiB(), t.loadedClasses(), t.metaspaceKiB(), t.notOffered()));
            }
        }
        md.append("\nThe production jar's start-up log names each inactive handler and its missing variable (five "
                + "lines); the build without them has none. Logs: `target/bench/work/handlers-cost-*.log`.\n");
        return md.toString();
    }

    private static void row(StringBuilder md, Build with, Build without, String measure, ToDoubleFunction<Trial> of,
            String number) {
        double difference = with.median(of) - without.median(of);
        double noise = Math.max(with.range(of), without.range(of));
        String verdict = Double.isNaN(difference) ? "not measured"
                : Math.abs(difference) <= noise ? f("within noise (spread " + number + ")", noise)
                        : f("beyond noise (spread " + number + ")", noise);
        md.append(f("| %s | " + number + " (" + number + ") | " + number + " (" + number + ") | %+" + number.substring(1)
                + " | %s |%n", measure, with.median(of), with.range(of), without.median(of), without.range(of), difference,
                verdict));
    }
}
