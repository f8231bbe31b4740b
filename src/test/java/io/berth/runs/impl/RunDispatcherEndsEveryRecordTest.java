package io.berth.runs.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.config.Secret;
import io.berth.config.SignatureRequirement;
import io.berth.handlers.RunResult;
import io.berth.handlers.RunRoute;
import io.berth.port.PortClient;
import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.StopSignal;
import io.berth.delivery.impl.OffsetCommits;
import io.berth.delivery.impl.RecordDispatcherImpl;
import io.berth.runs.RunContext;
import io.berth.runs.RunObserver;
import io.smallrye.mutiny.Uni;

/**
 * No outcome, expected or not, leaves a record uncommitted, except stopping: a failure of Berth's
 * own code dead-letters the record with the failure's class, and storing a dead letter is retried
 * only when another try can succeed.
 */
class RunDispatcherEndsEveryRecordTest {

    static final String RUN = "{\"context\":{\"runId\":\"r_1\",\"entity\":\"e\"},\"action\":\"deploy\"}";
    static final Duration WITHIN = Duration.ofSeconds(10);

    final Map<Long, RecordOutcome> outcomes = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> acks = new ConcurrentHashMap<>();
    final List<String> deadLetterReasons = new CopyOnWriteArrayList<>();
    final AtomicInteger deadLetterAttempts = new AtomicInteger();

    @Test
    void deadLettersAndCommitsARecordWhoseRoutingFailsUnexpectedly() {
        RecordDispatcher dispatcher = dispatcher(run -> {
            throw new IllegalStateException("a bug in routing");
        }, storing());

        dispatcher.dispatch(record(1, RUN)).await().atMost(WITHIN);

        await().atMost(WITHIN).until(() -> outcomes.containsKey(1L));
        assertThat(outcomes.get(1L)).isEqualTo(new RecordOutcome.DeadLettered("unexpected failure: java.lang.IllegalStateException"));
        assertThat(deadLetterReasons).containsExactly("unexpected failure: java.lang.IllegalStateException");
        assertThat(acks.get(1L)).hasValue(1);
    }

    @Test
    void deadLettersAndCommitsARunWhoseHandlingFailsUnexpectedlyAndGoesOnWithItsEntity() {
        RunRoute broken = new RunRoute() {
            @Override
            public String name() {
                throw new IllegalArgumentException("a bug in the route");
            }

            @Override
            public Uni<RunResult> run(RunContext run) {
                return Uni.createFrom().item(RunResult.success("never"));
            }
        };
        RecordDispatcher dispatcher = dispatcher(run -> Optional.of(broken), storing());

        dispatcher.dispatch(record(1, RUN)).await().atMost(WITHIN);
        dispatcher.dispatch(record(2, RUN.replace("r_1", "r_2"))).await().atMost(WITHIN);

        await().atMost(WITHIN).until(() -> outcomes.size() == 2);
        assertThat(outcomes.values()).containsOnly(
                new RecordOutcome.DeadLettered("unexpected failure: java.lang.IllegalArgumentException"));
        assertThat(acks.get(1L)).hasValue(1);
        assertThat(acks.get(2L)).hasValue(1);
    }

    @Test
    void givesUpAtOnceOnADeadLetterThatCannotBeStoredByTryingAgain() {
        RecordDispatcher dispatcher = dispatcher(run -> Optional.empty(),
                failing(attempt -> new TopicAuthorizationException("not allowed to write")));

        dispatcher.dispatch(record(1, "{not json")).await().atMost(WITHIN);

        await().atMost(Duration.ofSeconds(2)).until(() -> outcomes.containsKey(1L));
        assertThat(outcomes.get(1L)).isInstanceOf(RecordOutcome.DeadLetterFailed.class);
        assertThat(deadLetterAttempts).hasValue(1);
        assertThat(acks.get(1L)).hasValue(1);
    }

    @Test
    void retriesADeadLetterWhileTheFailureCanPass() {
        RecordDispatcher dispatcher = dispatcher(run -> Optional.empty(),
                failing(attempt -> attempt == 1 ? new TimeoutException("broker not available") : null));

        dispatcher.dispatch(record(1, "{not json")).await().atMost(WITHIN);

        await().atMost(WITHIN).until(() -> outcomes.containsKey(1L));
        assertThat(outcomes.get(1L)).isInstanceOf(RecordOutcome.DeadLettered.class);
        assertThat(deadLetterAttempts).hasValue(2);
    }

    /** The runs on the delivery core, wired as RunsWiring wires them, with a test dead-letter topic. */
    private RecordDispatcher dispatcher(RunRouter router, DeadLetters deadLetters) {
        RunMessageParser parser = new RunMessageParser(new ObjectMapper(), Secret.of(""), 1_048_576,
                new SignaturePolicy(SignatureRequirement.AGENT_WEBHOOKS));
        StopSignal stop = new StopSignal();
        RunRecordHandler runs = new RunRecordHandler(parser, router, inProgressPort(), new AssignmentWatermarks(), 100,
                new RunObserver() {
                }, received -> { }, new ReplayCheck(Duration.ofMinutes(5), java.time.Clock.systemUTC()), stop);
        return RecordDispatcherImpl.builder("runs").handler(runs).deadLetters(deadLetters)
                .listeners(List.of(new OffsetCommits(), (record, outcome) -> outcomes.put(record.offset(), outcome)))
                .concurrency(4).shutdownGrace(Duration.ofSeconds(1)).stopSignal(stop).build();
    }

    private InboundRecord record(long offset, String value) {
        AtomicInteger acked = acks.computeIfAbsent(offset, o -> new AtomicInteger());
        return new InboundRecord("org_test.runs", 0, offset, null, value.getBytes(StandardCharsets.UTF_8), () -> {
            acked.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
    }

    private DeadLetters storing() {
        return failing(attempt -> null);
    }

    /** A dead-letter topic whose {@code attempt}-th write fails with the given exception (null: stored). */
    private DeadLetters failing(Function<Integer, RuntimeException> failureOfAttempt) {
        // Lazy, as the Kafka emitter is: each subscription is one write.
        return (record, reason) -> Uni.createFrom().deferred(() -> {
            RuntimeException failure = failureOfAttempt.apply(deadLetterAttempts.incrementAndGet());
            if (failure != null) {
                return Uni.createFrom().failure(failure);
            }
            deadLetterReasons.add(reason);
            return Uni.createFrom().voidItem();
        });
    }

    /** Port as the dispatcher sees it before a handler runs: every run is still in progress. */
    private static PortClient inProgressPort() {
        return (PortClient) Proxy.newProxyInstance(PortClient.class.getClassLoader(), new Class<?>[] {PortClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("runStatus")) {
                        return Uni.createFrom().item(PortClient.RunStatus.IN_PROGRESS);
                    }
                    if (method.getName().equals("addRunLog")) {
                        return Uni.createFrom().voidItem();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
