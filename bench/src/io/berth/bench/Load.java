package io.berth.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A closed-loop load of webhook runs: at most {@code window} runs are unfinished at any time (produced
 * and not yet ended in Port), so that Berth is kept busy while the backlog, and so the queueing part
 * of the latency, stays bounded.
 *
 * <pre>
 *  producer thread: acquire(window) ─► record {runId, distinct entity, webhook → sink} ─► Kafka
 *  Port stub: terminal PATCH for runId ─► latency = now − produced ─► release(window)
 *  |── warm-up ──|────────── measured ──────────|── drain ──|
 *  runs/s = runs that ended inside the measured span / its length; latency of runs produced in it
 * </pre>
 */
final class Load {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** One measured scenario. Latencies in milliseconds. */
    record Result(String label, int partitions, int concurrency, long portLatencyMs, long sinkLatencyMs,
            double runsPerSecond, double p50Ms, double p99Ms, double maxMs, double portCallsPerRun,
            double tokenCallsPer10k, long runs, double rssMiB, double heapMiB, double berthCpuMsPerRun,
            double cpuMsPerRunWithoutJit, double allocatedKiBPerRun, double inFlight) {
    }

    private final KafkaProducer<String, String> producer;
    private final PortStub port;
    private final String sinkUrl;
    private final Map<String, Long> unfinished = new ConcurrentHashMap<>();
    private Semaphore window;
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;
    private final AtomicLong endedInSpan = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private long[] latencies = new long[1 << 16];
    private int latencyCount;

    Load(KafkaProducer<String, String> producer, PortStub port, String sinkUrl) {
        this.producer = producer;
        this.port = port;
        this.sinkUrl = sinkUrl;
    }

    /** The run message Port would put on the runs topic: a synchronized agent webhook to the sink. */
    static String runMessage(String runId, String entity, String sinkUrl) {
        return runMessage(runId, entity, sinkUrl, "bench_deploy", true);
    }

    /** The run message of {@code action}, its agent webhook synchronized or not. */
    static String runMessage(String runId, String entity, String sinkUrl, String action, boolean synchronized_) {
        return signedAsPort("{\"action\":\"" + action + "\",\"resourceType\":\"run\",\"status\":\"TRIGGERED\","
                + "\"trigger\":{\"by\":{\"orgId\":\"org_bench\",\"userId\":\"auth0|bench\","
                + "\"user\":{\"email\":\"bench@example.com\"}},\"origin\":\"UI\",\"at\":\"2026-11-20T09:14:03.512Z\"},"
                + "\"context\":{\"entity\":\"" + entity + "\",\"blueprint\":\"service\",\"runId\":\"" + runId + "\"},"
                + "\"payload\":{\"entity\":null,\"action\":{\"id\":\"action_bench\",\"identifier\":\"" + action + "\","
                + "\"trigger\":\"DAY-2\",\"blueprint\":\"service\",\"invocationMethod\":{\"type\":\"WEBHOOK\","
                + "\"agent\":true,\"synchronized\":" + synchronized_ + ",\"method\":\"POST\",\"url\":\"" + sinkUrl + "\"}},"
                + "\"properties\":{\"version\":\"1.4.2\",\"environment\":\"production\"},\"censoredProperties\":[]},"
                + "\"headers\":{}}");
    }

    /**
     * {@code unsigned} signed as Port signs an agent webhook run (Berth refuses unsigned ones):
     * HMAC-SHA256 over {@code timestamp + "." + json}, {@code json} being the message with an empty
     * {@code headers} object, which then receives the two signature keys.
     */
    static String signedAsPort(String unsigned) {
        long now = System.currentTimeMillis() / 1000;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(PortStub.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal((now + "." + unsigned).getBytes(StandardCharsets.UTF_8)));
            return unsigned.replace("\"headers\":{}}", "\"headers\":{\"X-Port-Signature\":\"" + signature
                    + "\",\"X-Port-Timestamp\":" + now + "}}");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static String nextRunId() {
        return "r_bench" + SEQUENCE.incrementAndGet();
    }

    Result run(String label, String topic, BerthProcess berth, int partitions, int concurrency, long portLatencyMs,
            long sinkLatencyMs, int windowSize, Duration warmup, Duration measure) {
        window = new Semaphore(windowSize);
        unfinished.clear();
        long calls0 = port.calls.sum();
        long tokens0 = port.tokenCalls.sum();
        ended.set(0);
        endedInSpan.set(0);
        synchronized (this) {
            latencyCount = 0;
        }
        port.listener(this::terminal);
        long start = System.nanoTime();
        measureFrom = start + warmup.toNanos();
        measureTo = measureFrom + measure.toNanos();
        long produced = 0;
        double rss = Double.NaN;
        double heap = Double.NaN;
        double inFlight = Double.NaN;
        boolean sampled = false;
        double cpuFrom = Double.NaN;
        double steadyCpuFrom = Double.NaN;
        double allocatedFrom = Double.NaN;
        while (System.nanoTime() < measureTo) {
            long now = System.nanoTime();
            if (Double.isNaN(cpuFrom) && now >= measureFrom) {
                cpuFrom = berth.cpuSeconds();
                steadyCpuFrom = berth.cpuSecondsWithoutJit();
                allocatedFrom = berth.allocatedBytes();
            }
            if (!sampled && now > measureTo - Math.min(measure.toNanos() / 4, TimeUnit.SECONDS.toNanos(2))) {
                sampled = true;
                rss = berth.rssMiB();
                heap = berth.heapUsedMiB();
                inFlight = berth.recordsInFlight();
            }
            try {
                if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            String runId = nextRunId();
            unfinished.put(runId, System.nanoTime());
            producer.send(new ProducerRecord<>(topic, runId, runMessage(runId, "e-" + runId, sinkUrl)));
            produced++;
        }
        double cpu = berth.cpuSeconds() - cpuFrom;
        double steadyCpu = berth.cpuSecondsWithoutJit() - steadyCpuFrom;
        double allocated = berth.allocatedBytes() - allocatedFrom;
        producer.flush();
        awaitAllEnded(Duration.ofSeconds(120));
        long runs = ended.get();
        double seconds = measure.toNanos() / 1e9;
        long[] sorted;
        synchronized (this) {
            sorted = Arrays.copyOf(latencies, latencyCount);
        }
        Arrays.sort(sorted);
        if (runs < produced) {
            System.err.printf("  %s: %d of %d runs did not end within 120 s of the end%n", label, produced - runs, produced);
        }
        return new Result(label, partitions, concurrency, portLatencyMs, sinkLatencyMs, endedInSpan.get() / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
                runs == 0 ? Double.NaN : (double) (port.calls.sum() - calls0) / runs,
                runs == 0 ? Double.NaN : (port.tokenCalls.sum() - tokens0) * 10_000.0 / runs, runs, rss, heap,
                endedInSpan.get() == 0 ? Double.NaN : cpu * 1000 / endedInSpan.get(),
                endedInSpan.get() == 0 ? Double.NaN : steadyCpu * 1000 / endedInSpan.get(),
                endedInSpan.get() == 0 ? Double.NaN : allocated / 1024 / endedInSpan.get(), inFlight);
    }

    /** Waits until every produced run has ended in Port. */
    boolean awaitAllEnded(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!unfinished.isEmpty() && System.nanoTime() < deadline) {
            BerthProcess.sleep(10);
        }
        return unfinished.isEmpty();
    }

    private void terminal(String runId, String status, long at) {
        Long producedAt = unfinished.remove(runId);
        if (producedAt == null) {
            return;
        }
        ended.incrementAndGet();
        if (at >= measureFrom && at < measureTo) {
            endedInSpan.incrementAndGet();
        }
        if (producedAt >= measureFrom && producedAt < measureTo) {
            synchronized (this) {
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[latencyCount++] = at - producedAt;
            }
        }
        Semaphore w = window;
        if (w != null) {
            w.release();
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
