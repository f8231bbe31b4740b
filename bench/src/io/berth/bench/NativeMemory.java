package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an idle Berth's RSS goes, which the JFR profile cannot say (it samples the heap's allocations
 * only): Berth on the image's java and JAVA_OPTS (or {@code --only-memory}'s options) plus
 * {@code -XX:NativeMemoryTracking=summary}, then
 * {@code jcmd <pid> VM.native_memory summary} once idle. A separate start, so that tracking's own cost
 * stays out of the idle and peak RSS the targets are judged on.
 *
 * <pre>
 *  start (image's options + NMT) ─► ready ─► idle a while ─► RSS, then NMT: committed KiB per category
 *  RSS − NMT's total committed ≈ files mapped (jars, the CDS archive) and memory NMT does not track
 * </pre>
 */
final class NativeMemory {

    record Category(String name, double committedMiB) {
    }

    record Breakdown(String jvm, double rssMiB, double trackedMiB, List<Category> categories) {
    }

    /** jcmd's lines with {@code scale=KB}; bytes without a unit, as {@code -XX:+PrintNMTStatistics} writes them. */
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+(?:KB)?, committed=(\\d+)(KB)?\\)");
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=\\d+(?:KB)?, committed=(\\d+)(KB)?");

    private NativeMemory() {
    }

    /** The breakdown of a Berth on {@code options}, {@code idle} after ready; null (and said) when NMT gave none. */
    static Breakdown idle(Bench bench, String topic, Duration idle, List<String> options) {
        BerthProcess.Jvm jvm = ImageJvmOptions.jvm();
        Path log = Bench.WORK.resolve("native-memory.log");
        try (BerthProcess berth = BerthProcess.start(jvm.with("-XX:NativeMemoryTracking=summary"), BerthProcess.JAR,
                bench.env(topic, 64), log, options)) {
            berth.awaitReady(Duration.ofSeconds(60), log);
            BerthProcess.sleep(idle.toMillis());
            double rss = berth.rssMiB();
            String jcmd = Path.of(jvm.java()).resolveSibling("jcmd").toString();
            Breakdown breakdown = parse(jvm.name(), rss, run(jcmd, String.valueOf(berth.process.pid()),
                    "VM.native_memory", "summary", "scale=KB"));
            if (breakdown == null) {
                System.out.println("  native memory: jcmd VM.native_memory gave no summary (see " + log + ")");
            }
            return breakdown;
        }
    }

    static Breakdown parse(String jvm, double rssMiB, String summary) {
        List<Category> categories = new ArrayList<>();
        double total = Double.NaN;
        for (String line : summary.split("\n")) {
            Matcher category = CATEGORY.matcher(line.trim());
            Matcher all = TOTAL.matcher(line.trim());
            if (all.find()) {
                total = mib(all.group(1), all.group(2));
            } else if (category.find()) {
                categories.add(new Category(category.group(1).trim(), mib(category.group(2), category.group(3))));
            }
        }
        if (categories.isEmpty()) {
            return null;
        }
        categories.sort((a, b) -> Double.compare(b.committedMiB(), a.committedMiB()));
        return new Breakdown(jvm, rssMiB, total, categories);
    }

    private static double mib(String amount, String unit) {
        return Long.parseLong(amount) / (unit == null ? 1024.0 * 1024 : 1024.0);
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
