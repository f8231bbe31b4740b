package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.berth.handlers.RunResult;
import io.berth.delivery.InboundRecord;
import io.berth.runs.RunOutcome;
import io.berth.runs.RunReceived;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Whatever actions the records name, the metrics keep a bounded number of series. */
class RunMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RunMetrics metrics = new RunMetrics(registry, Set.of("deploy", "hello_world")::contains);
    final InboundRecord record = new InboundRecord("org_x.runs", 0, 1, null, new byte[0], () -> null);

    void finished(String action, String handler) {
        metrics.onOutcome(record, new RunOutcome.Finished("r_1", action, handler, RunResult.success(),
                Duration.ofMillis(5), false));
    }

    Set<String> actionLabels() {
        return Set.copyOf(registry.find("berth.run.duration").timers().stream()
                .map(timer -> timer.getId().getTag("action")).toList());
    }

    @Test
    void labelsTenThousandActionsOfOneMappingEntryAsThatEntry() {
        for (int i = 0; i < 10_000; i++) {
            finished("action_" + i, "mapping#2");
        }
        finished("deploy", "java:Deploy");

        assertThat(registry.find("berth.run.duration").timers()).hasSize(2);
        assertThat(actionLabels()).containsExactlyInAnyOrder("mapping[2]", "deploy");
        Timer entry = registry.find("berth.run.duration").tag("action", "mapping[2]").timer();
        assertThat(entry.count()).isEqualTo(10_000);
    }

    @Test
    void labelsAnActionNoJavaHandlerDeclaresAsOther() {
        for (int i = 0; i < 1_000; i++) {
            finished("forged_" + i, "java:Wildcard");
        }
        finished("hello_world", "java:HelloWorld");

        assertThat(actionLabels()).containsExactlyInAnyOrder(RunMetrics.OTHER_ACTION, "hello_world");
    }

    @Test
    void countsRunsReceivedByActionWithUnusableRecordsAsUnknownAndUnservedActionsAsOther() {
        metrics.onReceived(new RunReceived("deploy", "java:Deploy"));
        metrics.onReceived(new RunReceived("deploy", "java:Deploy"));
        metrics.onReceived(new RunReceived("create_db", "mapping#0"));
        for (int i = 0; i < 1_000; i++) {
            metrics.onReceived(new RunReceived("someone_elses_" + i, null));
        }
        metrics.onReceived(RunReceived.unusable());

        assertThat(received("deploy")).isEqualTo(2);
        assertThat(received("mapping[0]")).isEqualTo(1);
        assertThat(received(RunMetrics.OTHER_ACTION)).isEqualTo(1_000);
        assertThat(received(RunMetrics.UNKNOWN_ACTION)).isEqualTo(1);
        assertThat(registry.find("berth.runs.received").counters()).hasSize(4);
    }

    double received(String action) {
        Counter counter = registry.find("berth.runs.received").tag("action", action).counter();
        assertThat(counter).as("berth.runs.received{action=%s}", action).isNotNull();
        return counter.count();
    }
}
