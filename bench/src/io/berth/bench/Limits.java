package io.berth.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The ceilings of this machine for Berth's workload: a bare consumer loop, a tight HTTP client loop. */
final class Limits {

    private Limits() {
    }

    /** Records per second a bare KafkaConsumer reads from a topic holding {@code count} run records. */
    static double consumerRate(String bootstrap, KafkaProducer<String, String> producer, String topic, int count,
            String sinkUrl) {
        for (int i = 0; i < count; i++) {
            String runId = Load.nextRunId();
            producer.send(new ProducerRecord<>(topic, runId, Load.runMessage(runId, "e-" + runId, sinkUrl)));
        }
        producer.flush();
        return readRate(bootstrap, topic, count);
    }

    /**
     * Records per second a bare KafkaConsumer (a fresh group, from the earliest offset) reads the first
     * {@code count} records of {@code topic} at. The clock starts at the first batch: group join and
     * assignment are not the consumer's rate.
     */
    static double readRate(String bootstrap, String topic, long count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench.raw-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long read = 0;
            long first = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (read < count && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty() && first == 0) {
                    first = System.nanoTime();
                }
                read += records.count();
            }
            return read / ((System.nanoTime() - first) / 1e9);
        }
    }

    /**
     * A tight client's rate and its own CPU: {@code cpuMsPerRequest} is the CPU time of the client's
     * event-loop threads (ThreadMXBean, measured in this harness, not derived) ÷ the requests answered
     * in the measured span. The limit beside Berth's CPU per run (issue 12 §1).
     */
    record Rate(double perSecond, double cpuMsPerRequest) {
    }

    /**
     * Requests per second a tight asynchronous client gets from {@code url} with {@code outstanding}
     * requests always in flight, over {@code duration}, after as long again of warm-up (JIT).
     * Only 2xx answers count.
     */
    static double httpRate(int port, String path, String authorization, String body, int outstanding,
            Duration duration) {
        return httpRateAndCpu(port, path, authorization, body, outstanding, duration).perSecond();
    }

    /** {@link #httpRate}, with the client's CPU per request over the measured span. */
    static Rate httpRateAndCpu(int port, String path, String authorization, String body, int outstanding,
            Duration duration) {
        Vertx vertx = Vertx.vertx();
        // The client's own threads: those its callbacks run on (its event loops, which also do its I/O).
        Set<Long> clientThreads = ConcurrentHashMap.newKeySet();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(outstanding)
                    .setKeepAlive(true));
            LongAdder done = new LongAdder();
            LongAdder failed = new LongAdder();
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch stopped = new CountDownLatch(outstanding);
            Buffer payload = Buffer.buffer(body);
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                    .setURI(path).putHeader("Content-Type", "application/json");
            if (authorization != null) {
                options.putHeader("Authorization", authorization);
            }
            Runnable[] loop = new Runnable[1];
            loop[0] = () -> {
                if (!running.get()) {
                    stopped.countDown();
                    return;
                }
                client.request(options).compose(request -> request.send(payload))
                        .compose(response -> response.body().map(ignored -> response.statusCode()))
                        .onComplete(result -> {
                            clientThreads.add(Thread.currentThread().getId());
                            if (result.succeeded() && result.result() / 100 == 2) {
                                done.increment();
                            } else {
                                failed.increment();
                            }
                            loop[0].run();
                        });
            };
            for (int i = 0; i < outstanding; i++) {
                vertx.runOnContext(ignored -> loop[0].run());
            }
            BerthProcess.sleep(duration.toMillis());
            done.reset();
            failed.reset();
            long cpu0 = cpuNanos(clientThreads);
            long start = System.nanoTime();
            BerthProcess.sleep(duration.toMillis());
            long count = done.sum();
            double cpuMs = (cpuNanos(clientThreads) - cpu0) / 1e6;
            running.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failed.sum() > 0) {
                System.err.printf("  raw HTTP %s: %d requests failed or answered other than 2xx%n", path, failed.sum());
            }
            return new Rate(count / seconds, count == 0 ? Double.NaN : cpuMs / count);
        } finally {
            Await.on(vertx.close());
        }
    }

    /** CPU time (user + system) of {@code threads} so far, in nanoseconds; a thread gone counts 0. */
    private static long cpuNanos(Set<Long> threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads) {
            sum += Math.max(0, mx.getThreadCpuTime(id));
        }
        return sum;
    }
}
