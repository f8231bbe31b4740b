package io.berth.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** The hot path from a JFR recording: where execution samples land, by top frame and by first Berth frame. */
final class Profile {

    record Row(String frame, long samples, double percent) {
    }

    /** {@code allocations}: sampled allocation weight (KiB in {@link Row#samples}) by nearest Berth frame. */
    record Summary(long samples, List<Row> topFrames, List<Row> berthFrames, List<Row> packages, List<Row> allocations) {
    }

    private Profile() {
    }

    static Summary of(Path recording) throws IOException {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> berth = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        Map<String, Long> allocated = new HashMap<>();
        long samples = 0;
        long allocatedKiB = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.ObjectAllocationSample") && event.getStackTrace() != null) {
                long kib = event.getLong("weight") / 1024;
                allocatedKiB += kib;
                allocated.merge(nearestBerth(event.getStackTrace().getFrames()), kib, Long::sum);
                continue;
            }
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            String topFrame = name(frames.get(0));
            top.merge(topFrame, 1L, Long::sum);
            packages.merge(packageOf(frames.get(0)), 1L, Long::sum);
            String nearest = nearestBerth(frames);
            if (nearest != null) {
                berth.merge(nearest, 1L, Long::sum);
            }
        }
        allocated.remove(null);
        return new Summary(samples, rows(top, samples, 15), rows(berth, samples, 12), rows(packages, samples, 12),
                rows(allocated, allocatedKiB, 12));
    }

    /** The first Berth frame from the top of the stack; null when none is Berth's. */
    private static String nearestBerth(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            if (frame.getMethod().getType().getName().startsWith("io.berth.")) {
                return name(frame);
            }
        }
        return null;
    }

    /** The summary on stdout. */
    static void print(Summary summary) {
        if (summary == null) {
            System.out.println("  no profile recorded");
            return;
        }
        System.out.println("  " + summary.samples() + " execution samples");
        for (List<Row> rows : List.of(summary.packages(), summary.topFrames(), summary.berthFrames(),
                summary.allocations())) {
            rows.forEach(row -> System.out.printf("  %5.1f %%  %s%n", row.percent(), row.frame()));
            System.out.println();
        }
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    private static String packageOf(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        return parts.length <= 3 ? type : String.join(".", parts[0], parts[1], parts[2]);
    }

    private static List<Row> rows(Map<String, Long> counts, long total, int limit) {
        List<Row> rows = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> rows.add(new Row(e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, total))));
        return rows;
    }
}
