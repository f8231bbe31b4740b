package io.berth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where the time to the first run goes (issue 12 §3): one start of Berth, each milestone in ms since
 * the process started, from Berth's log (its timestamps, the wall clock) and the harness's clocks.
 *
 * <pre>
 *  consumed (a run waits on a fresh topic):
 *    process start ─ JVM ─► Quarkus boot begins ─► Quarkus started ─► Kafka connected (Cluster ID)
 *    ─► partitions assigned (group joined) ─► offset reset (first fetch next)
 *    ─► run picked up (first Port call, stand-in) ─► first run handled (terminal PATCH, stand-in)
 *  pushed (BERTH_CLOUDEVENTS_ENABLED, nothing consumed):
 *    process start ─► … Quarkus started ─► POST /cloudevents accepted a connection ─► run picked up
 *    ─► first run handled ─► 200 answered
 * </pre>
 *
 * Kafka's consumer logs (Cluster ID, assignment, offset reset) are INFO lines Berth keeps at WARN: a
 * timeline trial turns on only {@code org.apache.kafka.clients.Metadata} and
 * {@code org.apache.kafka.clients.consumer.internals}, through system properties (category names are
 * case-sensitive, which environment variables are not).
 */
final class StartTimeline {

    record Milestone(String name, double ms, String clock) {
    }

    /** One start. {@code firstRunMs} is the target's figure: process start to the terminal PATCH. */
    record Trial(String mode, List<Milestone> milestones, double firstRunMs) {
        double at(String name) {
            return milestones.stream().filter(m -> m.name().equals(name)).mapToDouble(Milestone::ms).findFirst()
                    .orElse(Double.NaN);
        }
    }

    static final String QUARKUS_BOOT = "Quarkus boot begins (started line − its \"started in\")";
    static final String QUARKUS_STARTED = "Quarkus started";
    static final String KAFKA_CONNECTED = "Kafka connected (consumer's first metadata: Cluster ID)";
    static final String GROUP_JOINED = "group joined (runs partitions assigned)";
    static final String FIRST_FETCH = "offset reset for the runs partition (first fetch next)";
    static final String PUSH_ACCEPTED = "HTTP answering (the first POST /cloudevents Berth answered, when sent)";
    static final String PICKED_UP = "run picked up (its first Port call)";
    static final String HANDLED = "first run handled (terminal PATCH)";
    static final String ANSWERED = "push answered 200";

    /** The milestones' short names, for the targets table. */
    static final Map<String, String> SHORT = Map.of(QUARKUS_BOOT, "JVM up, Quarkus boot", QUARKUS_STARTED,
            "Quarkus started", KAFKA_CONNECTED, "Kafka connected", GROUP_JOINED, "group joined", FIRST_FETCH,
            "first fetch", PUSH_ACCEPTED, "HTTP answering", PICKED_UP, "run picked up", HANDLED, "run handled",
            ANSWERED, "push answered");

    static final List<String> KAFKA_INFO = List.of(
            "-Dquarkus.log.category.\"org.apache.kafka.clients.Metadata\".level=INFO",
            "-Dquarkus.log.category.\"org.apache.kafka.clients.consumer.internals\".level=INFO");

    private static final Pattern STAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) ");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final Bench bench;

    StartTimeline(Bench bench) {
        this.bench = bench;
    }

    /** A run waits on a fresh topic; Berth consumes it. {@code extraEnv}: BERTH_KAFKA_GROUP_PROTOCOL, say. */
    Trial consumed(String mode, BerthProcess.Jvm jvm, Map<String, String> extraEnv, String name) {
        String topic = bench.topic(1);
        String runId = Load.nextRunId();
        CompletableFuture<Long> ended = endOf(runId);
        CompletableFuture<Long> pickedUp = bench.port.firstCallAbout(runId);
        try {
            bench.producer.send(new ProducerRecord<>(topic, runId, Load.runMessage(runId, "e-" + runId, bench.sink.url())))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> env = bench.env(topic, 64);
        env.putAll(extraEnv);
        Path log = Bench.WORK.resolve(name + ".log");
        try (BerthProcess berth = BerthProcess.start(jvm.with(KAFKA_INFO.toArray(String[]::new)), env, log)) {
            long endedAt = ended.get(60, TimeUnit.SECONDS);
            List<Milestone> milestones = fromLog(log, berth, topic);
            milestones.add(harness(PICKED_UP, pickedUp, berth));
            milestones.add(harness(HANDLED, ended, berth));
            return new Trial(mode, sorted(milestones), (endedAt - berth.startedNanos) / 1e6);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e.getMessage() + " (see " + log + ")", e);
        }
    }

    /**
     * Berth takes pushed records ({@code BERTH_CLOUDEVENTS_ENABLED=true}, open to any caller); the
     * harness pushes one run, as a KafkaSource does in binary mode, as soon as Berth accepts a connection.
     */
    Trial pushed(String mode, BerthProcess.Jvm jvm, String name) {
        String topic = bench.topic(1);
        String runId = Load.nextRunId();
        CompletableFuture<Long> ended = endOf(runId);
        CompletableFuture<Long> pickedUp = bench.port.firstCallAbout(runId);
        Map<String, String> env = bench.env(topic, 64);
        env.put("BERTH_CLOUDEVENTS_ENABLED", "true");
        env.put("BERTH_CLOUDEVENTS_OPEN", "true");
        Path log = Bench.WORK.resolve(name + ".log");
        try (BerthProcess berth = BerthProcess.start(jvm, env, log)) {
            HttpRequest push = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + berth.httpPort + "/cloudevents"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-id", "partition:0/offset:0")
                    .header("ce-source", "/apis/v1/namespaces/bench/kafkasources/berth-runs#" + topic)
                    .header("ce-type", "dev.knative.kafka.event")
                    .header("ce-subject", "partition:0#0")
                    .header("ce-key", runId)
                    .POST(HttpRequest.BodyPublishers.ofString(Load.runMessage(runId, "e-" + runId, bench.sink.url())))
                    .build();
            long connected = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline && berth.process.isAlive()) {
                try {
                    long sent = System.nanoTime();
                    status = HTTP.send(push, HttpResponse.BodyHandlers.discarding()).statusCode();
                    connected = connected < 0 ? sent : connected;
                    if (status != 200) {
                        BerthProcess.sleep(5);
                    }
                } catch (IOException notListening) {
                    BerthProcess.sleep(5);
                }
            }
            long answered = System.nanoTime();
            if (status != 200) {
                throw new IllegalStateException("POST /cloudevents not answered 200 (last " + status + ")");
            }
            long endedAt = ended.get(10, TimeUnit.SECONDS);
            List<Milestone> milestones = fromLog(log, berth, topic);
            milestones.add(new Milestone(PUSH_ACCEPTED, (connected - berth.startedNanos) / 1e6, "harness"));
            milestones.add(harness(PICKED_UP, pickedUp, berth));
            milestones.add(harness(HANDLED, ended, berth));
            milestones.add(new Milestone(ANSWERED, (answered - berth.startedNanos) / 1e6, "harness"));
            return new Trial(mode, sorted(milestones), (endedAt - berth.startedNanos) / 1e6);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e.getMessage() + " (see " + log + ")", e);
        }
    }

    /** The trial whose first run was handled in the median time of {@code trials}. */
    static Trial median(List<Trial> trials) {
        List<Trial> sorted = new ArrayList<>(trials);
        sorted.sort((a, b) -> Double.compare(a.firstRunMs(), b.firstRunMs()));
        return sorted.get(sorted.size() / 2);
    }

    private CompletableFuture<Long> endOf(String runId) {
        CompletableFuture<Long> ended = new CompletableFuture<>();
        bench.port.listener((id, status, at) -> {
            if (id.equals(runId)) {
                ended.complete(at);
            }
        });
        return ended;
    }

    private static Milestone harness(String name, CompletableFuture<Long> at, BerthProcess berth) {
        Long nanos = at.getNow(null);
        return new Milestone(name, nanos == null ? Double.NaN : (nanos - berth.startedNanos) / 1e6, "stand-in");
    }

    /** The milestones Berth's log holds, each at its first line; the log is read once the run has ended. */
    static List<Milestone> fromLog(Path log, BerthProcess berth, String topic) throws IOException {
        List<Milestone> found = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher stamp = STAMP.matcher(line);
            if (!stamp.find()) {
                continue;
            }
            double ms = LocalDateTime.parse(stamp.group(1), FORMAT).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli()
                    - berth.startedEpochMillis;
            Matcher started = STARTED_IN.matcher(line);
            if (started.find() && line.contains("Quarkus")) {
                once(found, QUARKUS_BOOT, ms - Double.parseDouble(started.group(1)) * 1000);
                once(found, QUARKUS_STARTED, ms);
            } else if (line.contains("Cluster ID") && line.contains("Consumer clientId")) {
                once(found, KAFKA_CONNECTED, ms);
            } else if (line.contains(topic) && (line.contains("partitions assigned")
                    || line.contains("Adding newly assigned partitions"))) {
                once(found, GROUP_JOINED, ms);
            } else if (line.contains("Resetting offset for partition " + topic)
                    || line.contains("Setting offset for partition " + topic)) {
                once(found, FIRST_FETCH, ms);
            }
        }
        return found;
    }

    private static void once(List<Milestone> found, String name, double ms) {
        if (found.stream().noneMatch(m -> m.name().equals(name))) {
            found.add(new Milestone(name, ms, "Berth's log"));
        }
    }

    private static List<Milestone> sorted(List<Milestone> milestones) {
        List<Milestone> sorted = new ArrayList<>(milestones);
        sorted.sort((a, b) -> Double.compare(a.ms(), b.ms()));
        return sorted;
    }
}
