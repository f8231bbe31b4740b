package io.berth.runs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.ActionHandler;
import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.RunResult;
import io.berth.testing.PortStandInResource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Handlers the integration tests route runs to; they record what they were asked to do. */
final class TestHandlers {

    /** Invocations per run id: a handler must never run twice for one run. */
    static final Map<String, AtomicInteger> INVOCATIONS = new ConcurrentHashMap<>();

    /** (entity, sequence, start nanos, end nanos) of each ordered run, in the order they ended. */
    static final List<long[]> ORDERED = new CopyOnWriteArrayList<>();
    static final AtomicInteger ORDERED_IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger ORDERED_MAX_IN_FLIGHT = new AtomicInteger();

    /** Runs whose handler was interrupted after its timeout. */
    static final List<String> INTERRUPTED = new CopyOnWriteArrayList<>();

    /** Runs of {@link Weighed} in flight now, and at most. */
    static final AtomicInteger WEIGHED_IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger WEIGHED_MAX_IN_FLIGHT = new AtomicInteger();

    private TestHandlers() {
    }

    static int invocations(String runId) {
        AtomicInteger count = INVOCATIONS.get(runId);
        return count == null ? 0 : count.get();
    }

    private static void count(String runId) {
        INVOCATIONS.computeIfAbsent(runId, id -> new AtomicInteger()).incrementAndGet();
    }

    /** Non-blocking: logs, labels, links, creates an entity, succeeds. Serves the v1 and v2 examples too. */
    @ApplicationScoped
    static final class Echo implements ActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_echo");
        }

        @Override
        public Uni<RunResult> handle(RunContext run) {
            count(run.runId());
            run.log("Echoing " + run.inputs().path("name").asText("nothing"));
            run.statusLabel("Echoing");
            run.link(List.of("https://ci.example.com/runs/" + run.runId()));
            ObjectNode entity = JsonNodeFactory.instance.objectNode()
                    .put("identifier", run.inputs().path("name").asText("echo"))
                    .put("title", "Echo");
            entity.putObject("properties").put("language", run.inputs().path("language").asText("none"));
            return run.upsertEntity("service", entity)
                    .replaceWith(RunResult.success("Echoed " + run.inputs().path("name").asText("nothing")));
        }
    }

    /** Blocking and failing: the exception's message becomes the run's summary. */
    @ApplicationScoped
    static final class Failing implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_fail");
        }

        @Override
        public RunResult handle(RunContext run) {
            count(run.runId());
            throw new IllegalStateException("cluster " + run.inputs().path("cluster").asText() + " is unreachable");
        }
    }

    /**
     * A workflow node's Java handler: logs, sets a label and a link (a node run has neither: not
     * sent), upserts an entity, succeeds with an output; {@code test_node_fail} throws instead.
     */
    @ApplicationScoped
    static final class NodeBuild implements ActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_node_build", "test_node_fail");
        }

        @Override
        public Uni<RunResult> handle(RunContext run) {
            count(run.runId());
            if (run.action().equals("test_node_fail")) {
                return Uni.createFrom().failure(new IllegalStateException("image registry refused the push"));
            }
            run.log("Building " + run.runId());
            run.statusLabel("Building");
            run.link(List.of("https://ci.example.com/builds/" + run.runId()));
            ObjectNode output = JsonNodeFactory.instance.objectNode().put("image", "registry.example.com/app:1.4.2");
            return run.upsertEntity("build", JsonNodeFactory.instance.objectNode().put("identifier", run.runId()))
                    .replaceWith(RunResult.success("Built app:1.4.2", output));
        }
    }

    /** Per run: whether its label, link and external id reached Port, in one PATCH, while the handler still worked. */
    static final Map<String, Boolean> FIELDS_SENT_WHILE_WORKING = new ConcurrentHashMap<>();

    /**
     * Sets its label, link and external id, then works until Port holds them (at most 1.5 s, within
     * the tests' 2 s handler timeout): a run's fields must not wait for its end.
     */
    @ApplicationScoped
    static final class FieldsThenWork implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_fields_then_work");
        }

        @Override
        public RunResult handle(RunContext run) throws InterruptedException {
            count(run.runId());
            run.statusLabel("Deploying");
            run.link(List.of("https://ci.example.com/deploys/" + run.runId()));
            run.externalRunId("deploy-" + run.runId());
            long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            boolean sent = false;
            while (!sent && System.nanoTime() < deadline) {
                Thread.sleep(20);
                sent = PortStandInResource.standIn().patches(run.runId()).stream()
                        .anyMatch(patch -> patch.has("statusLabel") && patch.has("link") && patch.has("externalRunId"));
            }
            FIELDS_SENT_WHILE_WORKING.put(run.runId(), sent);
            return RunResult.success("Deployed");
        }
    }

    /** Blocking, slow: records start and end so that tests can check per-entity order and overlap. */
    @ApplicationScoped
    static final class Ordered implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_ordered");
        }

        @Override
        public RunResult handle(RunContext run) throws InterruptedException {
            count(run.runId());
            int now = ORDERED_IN_FLIGHT.incrementAndGet();
            ORDERED_MAX_IN_FLIGHT.accumulateAndGet(now, Math::max);
            long start = System.nanoTime();
            Thread.sleep(20 + (run.runId().hashCode() & 0x1f));
            ORDERED_IN_FLIGHT.decrementAndGet();
            ORDERED.add(new long[] { run.inputs().path("entityNumber").asLong(), run.inputs().path("sequence").asLong(),
                    start, System.nanoTime() });
            return RunResult.success();
        }
    }

    /** Blocking and stuck: outlives its own timeout of 2 s. */
    @ApplicationScoped
    static final class Stuck implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_stuck");
        }

        @Override
        public Optional<Duration> timeout() {
            return Optional.of(Duration.ofSeconds(2));
        }

        @Override
        public RunResult handle(RunContext run) throws InterruptedException {
            count(run.runId());
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException interrupted) {
                INTERRUPTED.add(run.runId());
                throw interrupted;
            }
            return RunResult.success();
        }
    }

    /** Blocking, holds its run for a while: tests count how many such runs are in flight at once. */
    @ApplicationScoped
    static final class Weighed implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_weighed");
        }

        @Override
        public RunResult handle(RunContext run) throws InterruptedException {
            count(run.runId());
            WEIGHED_MAX_IN_FLIGHT.accumulateAndGet(WEIGHED_IN_FLIGHT.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150);
            } finally {
                WEIGHED_IN_FLIGHT.decrementAndGet();
            }
            return RunResult.success();
        }
    }

    /** Runs out of memory, or says so: the JVM's memory is left alone. */
    @ApplicationScoped
    static final class OutOfMemory implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("test_out_of_memory");
        }

        @Override
        public RunResult handle(RunContext run) {
            count(run.runId());
            throw new OutOfMemoryError("Java heap space (simulated by the test)");
        }
    }
}
