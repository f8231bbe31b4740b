package io.berth.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.RunResult;
import io.berth.port.RunPatch;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.runs.RunOutcome;

class RunJournalTest {

    static final InboundRecord RECORD = new InboundRecord("org.runs", 1, 7, "k", new byte[0],
            () -> CompletableFuture.completedFuture(null));

    @Test
    void buildsARunFromItsReportsAndItsOutcome() {
        RunJournal journal = new RunJournal(10, "org.runs");
        journal.queued("r_1", "deploy");
        assertThat(journal.recent().get(0).path("status").asText()).isEqualTo("QUEUED");
        journal.logged("r_1", "picked up");
        journal.patched("r_1", RunPatch.link(List.of("https://ci/1")));
        journal.entityUpserted("r_1", "service", JsonNodeFactory.instance.objectNode().put("identifier", "checkout"));
        journal.onOutcome(RECORD, new RunOutcome.Finished("r_1", "deploy", "java:Deploy",
                RunResult.success("Deployed"), Duration.ofMillis(1500), false));

        ObjectNode run = journal.recent().get(0);
        assertThat(run.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.path("durationMs").asLong()).isEqualTo(1500);
        assertThat(run.path("summary").asText()).isEqualTo("Deployed");
        assertThat(run.path("logs").get(0).path("message").asText()).isEqualTo("picked up");
        assertThat(run.path("links").get(0).asText()).isEqualTo("https://ci/1");
        assertThat(run.path("entities").get(0).path("identifier").asText()).isEqualTo("checkout");
        assertThat(run.path("record").asText()).isEqualTo("org.runs[1]@7");
    }

    @Test
    void anAbandonedRecordOfAnotherTopicIsNoRun() {
        RunJournal journal = new RunJournal(10, "org.runs");
        InboundRecord triggerRecord = new InboundRecord("orders", 0, 3, "k", new byte[0],
                () -> CompletableFuture.completedFuture(null));
        journal.onOutcome(triggerRecord, new RecordOutcome.Abandoned("orders-0-3", "stopping"));
        journal.onOutcome(RECORD, new RecordOutcome.Abandoned("r_9", "stopping"));

        assertThat(journal.recent()).singleElement().satisfies(run -> {
            assertThat(run.path("runId").asText()).isEqualTo("r_9");
            assertThat(run.path("status").asText()).isEqualTo("ABANDONED");
        });
    }

    @Test
    void forgetsTheOldestRunsAndKeepsTheLastLinesOfEach() {
        RunJournal journal = new RunJournal(3, "org.runs");
        for (int i = 0; i < 5; i++) {
            journal.logged("r_" + i, "line");
        }
        assertThat(journal.recent()).extracting(run -> run.path("runId").asText()).containsExactly("r_4", "r_3", "r_2");
        for (int i = 0; i < RunJournal.MAX_LOGS + 20; i++) {
            journal.logged("r_4", "line " + i);
        }
        assertThat(journal.recent().get(0).path("logs")).hasSize(RunJournal.MAX_LOGS);
        assertThat(journal.recent().get(0).path("logs").get(RunJournal.MAX_LOGS - 1).path("message").asText())
                .isEqualTo("line " + (RunJournal.MAX_LOGS + 19));
    }

    @Test
    void tellsSubscribersOfEveryChange() {
        RunJournal journal = new RunJournal(10, "org.runs");
        List<ObjectNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        journal.changes().subscribe().with(seen::add);
        journal.logged("r_1", "one");
        journal.onOutcome(RECORD, new RunOutcome.Finished("r_1", "a", "h", RunResult.failure("broke"),
                Duration.ZERO, false));
        assertThat(seen).extracting(run -> run.path("status").asText()).containsExactly("IN_PROGRESS", "FAILURE");
    }

    @Test
    void aChangeNobodyWatchesCostsNoSnapshotOfTheRun() {
        RunJournal journal = new RunJournal(10, "org.runs");
        for (int i = 0; i < RunJournal.MAX_LOGS; i++) {
            journal.logged("r_1", "a log line of some length, as handlers write them: step " + i);
        }
        // A copy of this run is about 40 KB: 500 copies would be 20 MB; the changes themselves are small.
        long allocated = allocatedBy(() -> {
            for (int i = 0; i < 500; i++) {
                journal.patched("r_1", RunPatch.statusLabel("step " + i));
            }
        });
        assertThat(allocated).isLessThan(2_000_000);

        List<ObjectNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var watching = journal.changes().subscribe().with(seen::add);
        journal.patched("r_1", RunPatch.statusLabel("watched"));
        watching.cancel();
        journal.patched("r_1", RunPatch.statusLabel("after the console closed"));
        assertThat(seen).extracting(run -> run.path("statusLabel").asText()).containsExactly("watched");
    }

    private static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
