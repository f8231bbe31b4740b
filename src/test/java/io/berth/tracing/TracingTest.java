package io.berth.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.UnusableRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.mutiny.Uni;

class TracingTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final Tracing tracing = new Tracing(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build());

    static InboundRecord record(Map<String, String> headers) {
        return new InboundRecord("org.runs", 2, 41, "k", new byte[0], null, headers,
                () -> CompletableFuture.completedFuture(null));
    }

    @Test
    void aRecordsSpanContinuesItsTraceparentInAnyCaseAndIsCurrentWithItsCoordinatesInTheMdcWhileHandled() {
        AtomicReference<Context> seen = new AtomicReference<>();
        AtomicReference<Object> offset = new AtomicReference<>();

        RecordOutcome outcome = tracing.record("run",
                record(Map.of("TraceParent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")), () -> {
                    seen.set(Context.current());
                    offset.set(MDC.get(RecordMdc.OFFSET));
                    return Uni.createFrom().item(new RecordOutcome.Abandoned(null, "test"));
                }).await().atMost(Duration.ofSeconds(5));

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("run");
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.getAttributes().get(Tracing.OUTCOME)).isEqualTo(outcome.label());
        assertThat(Span.fromContext(seen.get()).getSpanContext().getSpanId()).isEqualTo(span.getSpanId());
        assertThat(Tracing.of(seen.get())).isSameAs(tracing);
        assertThat(offset.get()).isEqualTo("41");
        assertThat(MDC.get(RecordMdc.OFFSET)).as("put back after the handler's call").isNull();
    }

    @Test
    void aRecordWithoutAValidTraceparentStartsATraceAndAnUnusableOneEndsItsSpanInErrorWithTheReason() {
        assertThatThrownBy(() -> tracing.record("run", record(Map.of("traceparent", "00-zz-01")),
                () -> Uni.createFrom().failure(new UnusableRecord("not JSON"))).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(UnusableRecord.class);

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("not JSON");
    }
}
