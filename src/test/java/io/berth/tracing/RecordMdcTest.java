package io.berth.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;
import io.opentelemetry.context.Scope;

/** A record's log fields, on a thread of no Vert.x context (the consumer's): set while applied, then put back. */
class RecordMdcTest {

    private static final InboundRecord RECORD = new InboundRecord("orders", 2, 41, "k", new byte[0],
            () -> CompletableFuture.completedFuture(null));

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aRecordsFieldsAreSetWhileAppliedAndWhatTheThreadHadIsPutBack() {
        MDC.put(RecordMdc.TOPIC, "earlier");
        try (Scope applied = RecordMdc.of(RECORD).apply()) {
            assertThat(MDC.get(RecordMdc.TOPIC)).isEqualTo("orders");
            assertThat(MDC.get(RecordMdc.PARTITION)).isEqualTo("2");
            assertThat(MDC.get(RecordMdc.OFFSET)).isEqualTo("41");
        }
        assertThat(MDC.get(RecordMdc.TOPIC)).as("the thread's own value, back").isEqualTo("earlier");
        assertThat(MDC.get(RecordMdc.PARTITION)).as("absent before, absent after").isNull();
        assertThat(MDC.get(RecordMdc.OFFSET)).isNull();
    }

    @Test
    void aRunsIdAndActionJoinTheRecordsFieldsAndLeaveWithThem() {
        MDC.put(RecordMdc.ACTION, "earlier");
        try (Scope applied = RecordMdc.of(RECORD).withRun("r_1", "deploy").apply()) {
            assertThat(MDC.get(RecordMdc.OFFSET)).isEqualTo("41");
            assertThat(MDC.get(RecordMdc.RUN_ID)).isEqualTo("r_1");
            assertThat(MDC.get(RecordMdc.ACTION)).isEqualTo("deploy");
        }
        assertThat(MDC.get(RecordMdc.RUN_ID)).isNull();
        assertThat(MDC.get(RecordMdc.ACTION)).isEqualTo("earlier");
        assertThat(MDC.get(RecordMdc.OFFSET)).isNull();
    }
}
