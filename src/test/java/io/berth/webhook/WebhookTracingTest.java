package io.berth.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.berth.tracing.RecordMdc;
import io.berth.tracing.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** Each attempt of a mapping's webhook is a span, child of the handler's, whose traceparent the request carries. */
class WebhookTracingTest extends ReceiverFixture {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final Tracing tracing = new Tracing(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build());

    WebhookRequest request() {
        return new WebhookRequest("POST", server.baseUrl() + "/hook?token=query-secret", Examples.object("{\"n\": 1}"),
                JsonNodeFactory.instance.objectNode().put("Authorization", "Bearer header-secret"),
                JsonNodeFactory.instance.objectNode());
    }

    @Test
    void eachAttemptIsAChildSpanOfTheHandlerAndSendsItsOwnTraceparent() {
        server.stubFor(any(urlPathEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        server.stubFor(any(urlPathEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200)));
        WebhookSender sender = WebhookSenderTest.sender(WebhookLimits.withTimeout(Duration.ofSeconds(5)), 3);

        tracing.span(Context.root(), "handler mapping[0]", SpanKind.INTERNAL, Attributes.empty(), RecordMdc.NONE,
                handler -> sender.send(request(), "r_1")).await().atMost(Duration.ofSeconds(10));

        SpanData handler = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("handler mapping[0]")).findFirst().orElseThrow();
        List<SpanData> attempts = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("webhook POST")).toList();
        assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(attempt.getParentSpanId()).isEqualTo(handler.getSpanId());
            assertThat(attempt.getTraceId()).isEqualTo(handler.getTraceId());
            assertThat(attempt.getAttributes().asMap().values()).extracting(String::valueOf)
                    .noneMatch(value -> value.contains("secret"));
        });
        List<LoggedRequest> received = server.findAll(postRequestedFor(urlPathEqualTo("/hook")));
        assertThat(received).extracting(request -> request.getHeader("traceparent")).containsExactlyInAnyOrderElementsOf(
                attempts.stream().map(span -> "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01").toList());
    }

    @Test
    void sendsNoTraceparentWithTracingOff() {
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));

        WebhookSenderTest.sender(WebhookLimits.withTimeout(Duration.ofSeconds(5)), 1).send(request(), "r_1")
                .await().atMost(Duration.ofSeconds(10));

        assertThat(server.findAll(postRequestedFor(urlPathEqualTo("/hook"))).get(0).containsHeader("traceparent"))
                .isFalse();
    }
}
