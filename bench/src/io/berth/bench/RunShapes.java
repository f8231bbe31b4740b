package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Port calls per run for each run shape (issue 12 §4): Port's rate limits are every user's real
 * ceiling. One Berth (the production jar) with a mapping file of two entries, {@code bench_report}
 * with a report of link, external id and summary, and port-agent's {@code {"enabled": true}};
 * each shape's runs produced together, then counted at the Port stand-in once its calls settle.
 *
 * <pre>
 *  shape                                 calls Berth makes for one run
 *  synchronized webhook                  POST log (picked up), POST log (answer), PATCH /response, PATCH status
 *  … with link and external id           the same four: link and external id ride in the status PATCH
 *  asynchronous webhook                  the two logs (the called system ends the run)
 *  … with link and external id           the two logs, the summary's log, one PATCH {link, externalRunId}
 * </pre>
 *
 * A Java handler's run is 1 log + its own reports (fields set back to back in one PATCH) + the
 * terminal PATCH; the production jar ships no Java handler, so the test suite counts that shape
 * ({@code RunPipelineIT}).
 */
final class RunShapes {

    record Shape(String name, String action, boolean synchronized_, boolean ends) {
    }

    /** {@code calls}: every call about the run, by kind, per run ({@code "PATCH 1.00, POST /logs 2.00"}). */
    record Result(String shape, int runs, double callsPerRun, double runPatchesPerRun, String calls) {
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("synchronized webhook", "bench_deploy", true, true),
            new Shape("synchronized webhook, report with link and external id", "bench_report", true, true),
            new Shape("asynchronous webhook", "bench_deploy", false, false),
            new Shape("asynchronous webhook, report with link and external id", "bench_report", false, false));

    static final String MAPPING = """
            [
              {"enabled": ".payload.action.identifier == \\"bench_report\\"",
               "report": {"link": "\\"https://ci.example.com/deploys/\\" + .body.context.runId",
                          "externalRunId": "\\"deploy-\\" + .body.context.runId",
                          "summary": "\\"Deployed \\" + .body.payload.properties.version"}},
              {"enabled": true}
            ]
            """;

    private RunShapes() {
    }

    static List<Result> measure(Bench bench, int runsPerShape) throws IOException {
        Path mapping = Bench.WORK.resolve("shapes-mapping.json");
        Files.writeString(mapping, MAPPING);
        String topic = bench.topic(3);
        Map<String, String> env = bench.env(topic, 64);
        env.put("CONTROL_THE_PAYLOAD_CONFIG_PATH", mapping.toAbsolutePath().toString());
        Path log = Bench.WORK.resolve("run-shapes.log");
        List<Result> results = new ArrayList<>();
        try (BerthProcess berth = BerthProcess.start(Bench.berthJvm(), env, log)) {
            berth.awaitReady(Duration.ofSeconds(60), log);
            for (Shape shape : SHAPES) {
                results.add(measure(bench, topic, shape, runsPerShape));
            }
        } finally {
            bench.port.recordCalls(null);
            bench.port.listener((id, status, at) -> { });
        }
        return results;
    }

    private static Result measure(Bench bench, String topic, Shape shape, int runs) {
        Map<String, Queue<String>> calls = new ConcurrentHashMap<>();
        AtomicInteger ended = new AtomicInteger();
        bench.port.recordCalls(calls);
        bench.port.listener((id, status, at) -> ended.incrementAndGet());
        for (int i = 0; i < runs; i++) {
            String runId = Load.nextRunId();
            bench.producer.send(new ProducerRecord<>(topic, runId,
                    Load.runMessage(runId, "e-" + runId, bench.sink.url(), shape.action(), shape.synchronized_())));
        }
        bench.producer.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (shape.ends() && ended.get() < runs && System.nanoTime() < deadline) {
            BerthProcess.sleep(20);
        }
        // Every run has its calls once the count stays put for a second (an open run ends in Berth silently).
        int seen = -1;
        while (System.nanoTime() < deadline) {
            int now = calls.values().stream().mapToInt(Queue::size).sum();
            if (now == seen && calls.size() >= runs) {
                break;
            }
            seen = now;
            BerthProcess.sleep(1000);
        }
        bench.port.recordCalls(null);
        Map<String, Integer> byKind = new TreeMap<>();
        calls.values().forEach(q -> q.forEach(kind -> byKind.merge(kind, 1, Integer::sum)));
        int total = byKind.values().stream().mapToInt(Integer::intValue).sum();
        int counted = Math.max(1, calls.size());
        StringBuilder kinds = new StringBuilder();
        byKind.forEach((kind, n) -> kinds.append(kinds.length() == 0 ? "" : ", ")
                .append(String.format("%s %.2f", kind, (double) n / counted)));
        Result result = new Result(shape.name(), calls.size(), (double) total / counted,
                (double) byKind.getOrDefault("PATCH", 0) / counted, kinds.toString());
        System.out.printf("  %-58s %5.2f Port calls/run (%s) over %d runs%n", result.shape(), result.callsPerRun(),
                result.calls(), result.runs());
        return result;
    }
}
