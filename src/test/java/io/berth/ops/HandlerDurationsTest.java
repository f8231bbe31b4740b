package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** Change handlers and triggers get duration histograms named and bucketed as runs', labelled by configuration only. */
class HandlerDurationsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final HandlerDurations durations = new HandlerDurations(registry);

    @Test
    void aTriggersHandlingIsTimedByTriggerIdAndResultWithTheRunsBuckets() {
        durations.trigger("deploys", () -> Uni.createFrom().item("fired"), result -> result).await().indefinitely();

        Timer timer = registry.find("berth.trigger.duration").tags("trigger", "deploys", "result", "fired").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.takeSnapshot().histogramCounts()).hasSize(HandlerDurations.BUCKETS.length);
    }

    @Test
    void aChangeRouteIsTimedByHandlerClassOrMappingEntryAndAFailureIsLabelledFailure() {
        durations.changeHandler("handler AuditTrail", () -> Uni.createFrom().voidItem(), done -> "success")
                .await().indefinitely();
        durations.changeHandler("mapping#2", () -> Uni.createFrom().failure(new IllegalStateException("webhook 500")),
                done -> "success").onFailure().recoverWithNull().await().indefinitely();

        assertThat(registry.find("berth.change.handler.duration").tags("handler", "AuditTrail", "result", "success")
                .timer()).isNotNull();
        assertThat(registry.find("berth.change.handler.duration").tags("handler", "mapping[2]", "result", "failure")
                .timer()).isNotNull();
    }

    @Test
    void theTimeRunsFromSubscriptionToTheEnd() {
        Uni<String> slow = durations.trigger("t", () -> Uni.createFrom().item("fired")
                .onItem().delayIt().by(Duration.ofMillis(200)), result -> result);
        slow.await().indefinitely();

        assertThat(registry.find("berth.trigger.duration").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(190);
    }
}
