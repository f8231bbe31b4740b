package io.berth.polling.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.berth.polling.RunPoller;
import io.berth.port.KafkaCredentials;
import io.berth.port.PortCallException;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.smallrye.mutiny.Uni;

/** The poller's rhythm in simulated time: pauses, backoff, giving up, permits. */
class PollingLoopTest {

    final ManualScheduler scheduler = new ManualScheduler();
    final ScriptedPort port = new ScriptedPort();
    final List<InboundRecord> dispatched = new ArrayList<>();
    final AtomicBoolean gaveUp = new AtomicBoolean();

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
    }

    PollingLoop loop(TestPollingSettings settings, int maxInFlight) {
        return new PollingLoop(port, new RecordDispatcher() {
            @Override
            public Uni<Void> dispatch(InboundRecord record) {
                dispatched.add(record);
                return Uni.createFrom().voidItem();
            }

            @Override
            public void drain() {
            }

            @Override
            public void assigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
            }

            @Override
            public java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> revoke(
                    java.util.Collection<org.apache.kafka.common.TopicPartition> partitions, Duration bound) {
                return java.util.Map.of(); // polled runs have no partitions
            }
        }, settings, maxInFlight, scheduler, scheduler.clock, () -> gaveUp.set(true));
    }

    static TestPollingSettings settings(int batchSize, Duration initialBackoff, double factor, Duration maxFailure) {
        return new TestPollingSettings(Duration.ofSeconds(10), batchSize, initialBackoff, Duration.ofSeconds(300),
                factor, 0.0, maxFailure);
    }

    @Test
    void backsOffOnFailuresThenPausesForTheIntervalUnlessTheBatchCameBackFull() {
        port.answers.add(503);
        port.answers.add(503);
        port.answers.add(503);
        port.answers.add(0);
        port.answers.add(2);
        port.answers.add(1);
        PollingLoop loop = loop(settings(2, Duration.ofSeconds(1), 2.0, Duration.ofHours(1)), 10);

        loop.start();
        scheduler.runAll(6);

        assertThat(scheduler.delays).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(10));
        assertThat(loop.state()).isEqualTo(RunPoller.State.POLLING);
        assertThat(loop.failingSince()).isEmpty();
        assertThat(dispatched).hasSize(3);
    }

    @Test
    void givesUpOnceClaimsHaveFailedLongerThanTheMaximumFailureDuration() {
        for (int i = 0; i < 10; i++) {
            port.answers.add(503);
        }
        PollingLoop loop = loop(settings(100, Duration.ofSeconds(4), 1.0, Duration.ofSeconds(10)), 10);

        loop.start();
        scheduler.runAll(10);

        // Failures at 0, 4, 8 and 12 s: the fourth is past 10 s of failing.
        assertThat(port.claims).isEqualTo(4);
        assertThat(loop.state()).isEqualTo(RunPoller.State.GAVE_UP);
        assertThat(gaveUp).isTrue();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void claimsNoMoreThanTheFreePermitsAndClaimsAgainWhenARunEnds() {
        port.answers.add(2);
        port.answers.add(0);
        PollingLoop loop = loop(settings(100, Duration.ofSeconds(1), 2.0, Duration.ofHours(1)), 2);

        loop.start();
        scheduler.runAll(3);

        assertThat(port.limits).containsExactly(2);
        assertThat(loop.inFlight()).isEqualTo(2);
        assertThat(scheduler.pending()).as("no claim while every permit is taken").isZero();

        dispatched.get(0).ack().toCompletableFuture().join();
        scheduler.runAll(1);

        assertThat(port.limits).containsExactly(2, 1);
        assertThat(port.acked).containsExactly(dispatched.get(0).key());
        assertThat(loop.inFlight()).isEqualTo(1);
    }

    /** Runs scheduled tasks one at a time, in order, moving the clock on by each task's delay. */
    static final class ManualScheduler extends ScheduledThreadPoolExecutor {

        final List<Duration> delays = new ArrayList<>();
        final Deque<Runnable> tasks = new ArrayDeque<>();
        final MovableClock clock = new MovableClock();
        private final Deque<Duration> taskDelays = new ArrayDeque<>();

        ManualScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            enqueue(command, Duration.ofNanos(unit.toNanos(delay)));
            return null;
        }

        @Override
        public void execute(Runnable command) {
            enqueue(command, Duration.ZERO);
        }

        private void enqueue(Runnable command, Duration delay) {
            delays.add(delay);
            tasks.add(command);
            taskDelays.add(delay);
        }

        void runAll(int most) {
            for (int i = 0; i < most && !tasks.isEmpty(); i++) {
                clock.now = clock.now.plus(taskDelays.poll());
                tasks.poll().run();
            }
        }

        int pending() {
            return tasks.size();
        }
    }

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Answers each claim from a script: a status to fail with (≥ 400), or how many runs to hand out. */
    static final class ScriptedPort implements PortClient {

        final Deque<Integer> answers = new ArrayDeque<>();
        final List<Integer> limits = new ArrayList<>();
        final List<String> acked = new ArrayList<>();
        int claims;
        private int ids;

        @Override
        public Uni<List<JsonNode>> claimPendingRuns(int limit) {
            claims++;
            limits.add(limit);
            int answer = answers.isEmpty() ? 0 : answers.poll();
            if (answer >= 400) {
                return Uni.createFrom().failure(new PortCallException("POST claim-pending", answer, null));
            }
            List<JsonNode> runs = new ArrayList<>();
            for (int i = 0; i < Math.min(answer, limit); i++) {
                ObjectNode run = JsonNodeFactory.instance.objectNode().put("id", "r_" + ids++);
                run.putObject("payload").put("type", "WEBHOOK").putObject("body");
                runs.add(run);
            }
            return Uni.createFrom().item(runs);
        }

        @Override
        public Uni<Integer> ackRuns(List<String> runIds) {
            acked.addAll(runIds);
            return Uni.createFrom().item(runIds.size());
        }

        @Override
        public Uni<Void> addRunLog(String runId, String message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<PatchResult> patchRun(String runId, RunPatch patch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<RunStatus> runStatus(String runId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> upsertEntity(String blueprint, String runId, ObjectNode entity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> reportRunResponse(String runId, JsonNode response) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> addNodeRunLog(String nodeRunId, String level, String message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<PatchResult> completeNodeRun(String nodeRunId, String result, JsonNode output) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<String> startActionRun(String action, String entity, JsonNode properties) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<KafkaCredentials> kafkaCredentials() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> announceStreamer(String streamer) {
            throw new UnsupportedOperationException();
        }
    }
}
