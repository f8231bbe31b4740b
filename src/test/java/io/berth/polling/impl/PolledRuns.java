package io.berth.polling.impl;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.ActionHandler;
import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Claimed runs in port-agent's shape, and the Java handlers the polling tests route them to. */
final class PolledRuns {

    /** Handler invocations per run id. */
    static final Map<String, AtomicInteger> INVOCATIONS = new ConcurrentHashMap<>();

    /** {@link Held} runs wait for this before they end. */
    static volatile CountDownLatch release = new CountDownLatch(0);

    private PolledRuns() {
    }

    static int invocations(String runId) {
        AtomicInteger count = INVOCATIONS.get(runId);
        return count == null ? 0 : count.get();
    }

    /**
     * A run as {@code claim-pending} hands it out (port-agent's test fixture's shape): {@code id},
     * {@code payload.{type, url, agent, synchronized, method, headers}}, the run message in {@code payload.body}.
     */
    static ObjectNode claimed(String runId, String action, String url, boolean synchronous) {
        ObjectNode run = JsonNodeFactory.instance.objectNode().put("_id", runId).put("id", runId);
        ObjectNode payload = run.putObject("payload").put("type", "WEBHOOK").put("url", url).put("agent", true)
                .put("synchronized", synchronous).put("method", "POST");
        payload.putObject("headers");
        ObjectNode body = payload.putObject("body");
        body.putObject("context").put("runId", runId).put("blueprint", "service").put("entity", "svc-" + runId);
        ObjectNode inner = body.putObject("payload");
        inner.putObject("action").put("identifier", action);
        inner.putObject("properties").put("name", "polled");
        body.putObject("trigger").putObject("by").putObject("user").put("email", "dev@example.com");
        return run;
    }

    private static void count(String runId) {
        INVOCATIONS.computeIfAbsent(runId, id -> new AtomicInteger()).incrementAndGet();
    }

    @ApplicationScoped
    static final class Echo implements ActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("polling_echo");
        }

        @Override
        public Uni<RunResult> handle(RunContext run) {
            count(run.runId());
            return Uni.createFrom().item(RunResult.success("Polled " + run.inputs().path("name").asText()));
        }
    }

    /** Holds its run until the test releases it: a handler still going when its claim expires. */
    @ApplicationScoped
    static final class Held implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("polling_held");
        }

        @Override
        public RunResult handle(RunContext run) throws InterruptedException {
            count(run.runId());
            release.await(60, TimeUnit.SECONDS);
            return RunResult.success("Released");
        }
    }
}
