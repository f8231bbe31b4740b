package io.berth.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.berth.handlers.ActionHandler;
import io.berth.handlers.RunResult;
import io.berth.port.PortClient;
import io.berth.runs.RunContext;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.client.exemplars.ExemplarSampler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Tracing on, spans kept in memory, JSON logs to a file: the span tree of a run and of a bridge
 * delivery, each continuing its record's {@code traceparent}, a bridge batch's span linked to its
 * records', every Port call a span (a change event's reports, a trigger's Port action, a handler's
 * own client), the trace carried on in lifecycle events and dead letters, and a run's log line with
 * its MDC.
 */
@QuarkusTest
@TestProfile(TracingIT.TracingOn.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class TracingIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path LOG_FILE = Path.of("target", "tracing-it.log");
    static final String EVENTS = "tracing-it.events";
    static final String BATCHED = "tracing-it.batched";
    static final String TRIGGERED = "tracing-it.triggered";
    static final String TRIGGER = "tracing-it-deploys";
    static final String EVENT_PREFIX = "tracing-it-events";
    static final String DIRECT_ACTION = "tracing_it_direct_port";
    static final String SINK_TOKEN = "Bearer tracing-it-sink-token";
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PRODUCER_SPAN = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PRODUCER_SPAN + "-01";

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Optional<ExemplarSampler> exemplars;

    final PortStandIn port = PortStandInResource.standIn();

    @Test
    void aRunIsASpanContinuingItsRecordsTraceWithTheHandlerAndEachPortCallAsChildren() {
        String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        produce(KafkaBrokerResource.RUNS_TOPIC, "checkout", run(runId));

        await().atMost(WITHIN).until(() -> runSpan(runId).isPresent());
        SpanData run = runSpan(runId).orElseThrow();
        assertThat(run.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(run.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(run.getParentSpanId()).as("the producer's span").isEqualTo(PRODUCER_SPAN);
        assertThat(run.getAttributes().asMap()).extractingByKeys(
                        key("messaging.destination.name"), key("berth.action"), key("berth.outcome"))
                .containsExactly(KafkaBrokerResource.RUNS_TOPIC, "test_echo", "success");

        List<SpanData> children = childrenOf(run);
        assertThat(children).filteredOn(span -> span.getName().startsWith("handler ") && span.getName().contains("Echo"))
                .singleElement().satisfies(handler -> assertThat(handler.getKind()).isEqualTo(SpanKind.INTERNAL));
        assertThat(children).extracting(SpanData::getName).contains(
                "Port POST /v1/actions/runs/{run_id}/logs",
                "Port PATCH /v1/actions/runs/{run_id}",
                "Port POST /v1/blueprints/{blueprint}/entities");
        assertThat(children).filteredOn(span -> span.getName().startsWith("Port "))
                .allSatisfy(call -> {
                    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
                    assertThat(call.getTraceId()).isEqualTo(TRACE_ID);
                });
        assertNoSecretIn(spans.getFinishedSpanItems());
    }

    @Test
    void aBridgeRequestCarriesTheTraceparentOfItsOwnSpanInTheRecordsTrace() {
        TracingFiles.receiver.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(204)));
        String key = "order-" + UUID.randomUUID();
        produce(EVENTS, key, "{\"n\": 1}");

        await().atMost(WITHIN).until(() -> requestsWith(key).size() == 1);
        String sent = requestsWith(key).get(0).getHeader("traceparent");
        assertThat(sent).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
        String requestSpan = sent.split("-")[2];

        await().atMost(WITHIN).until(() -> span(s -> s.getSpanId().equals(requestSpan)).isPresent());
        SpanData request = span(s -> s.getSpanId().equals(requestSpan)).orElseThrow();
        assertThat(request.getName()).isEqualTo("webhook POST");
        assertThat(request.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(request.getAttributes().asMap()).extractingByKey(AttributeKey.longKey("http.response.status_code")).isEqualTo(204L);
        await().atMost(WITHIN).until(() -> span(s -> s.getSpanId().equals(request.getParentSpanId())).isPresent());
        SpanData record = span(s -> s.getSpanId().equals(request.getParentSpanId())).orElseThrow();
        assertThat(record.getName()).isEqualTo("record of topic " + EVENTS);
        assertThat(record.getParentSpanId()).as("the producer's span").isEqualTo(PRODUCER_SPAN);
        assertNoSecretIn(spans.getFinishedSpanItems());
    }

    @Test
    void aBatchRequestIsTheChildOfABatchSpanLinkedToEachOfItsRecordsSpans() {
        TracingFiles.receiver.stubFor(post(urlEqualTo("/batch")).willReturn(aResponse().withStatus(200)));
        String otherTrace = "0af7651916cd43dd8448eb211c80319c";
        produce(BATCHED, "a", "{\"n\": 1}", TRACEPARENT);
        produce(BATCHED, "b", "{\"n\": 2}", "00-" + otherTrace + "-b7ad6b7169203331-01");

        await().atMost(WITHIN).until(() -> TracingFiles.receiver.findAll(postRequestedFor(urlEqualTo("/batch"))).size() == 1);
        String sent = TracingFiles.receiver.findAll(postRequestedFor(urlEqualTo("/batch"))).get(0).getHeader("traceparent");
        assertThat(sent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String requestSpan = sent.split("-")[2];

        await().atMost(WITHIN).until(() -> span(s -> s.getSpanId().equals(requestSpan)).isPresent());
        SpanData request = span(s -> s.getSpanId().equals(requestSpan)).orElseThrow();
        assertThat(request.getName()).isEqualTo("webhook POST");
        await().atMost(WITHIN).until(() -> span(s -> s.getSpanId().equals(request.getParentSpanId())).isPresent());
        SpanData batch = span(s -> s.getSpanId().equals(request.getParentSpanId())).orElseThrow();
        assertThat(batch.getName()).isEqualTo("batch of topic " + BATCHED);
        assertThat(batch.getTraceId()).as("a trace of its own").isNotIn(TRACE_ID, otherTrace);
        assertThat(batch.getAttributes().asMap()).extractingByKey(AttributeKey.longKey("messaging.batch.message_count"))
                .isEqualTo(2L);

        assertThat(batch.getLinks()).extracting(link -> link.getSpanContext().getTraceId())
                .containsExactlyInAnyOrder(TRACE_ID, otherTrace);
        await().atMost(WITHIN).untilAsserted(() -> assertThat(batch.getLinks()).allSatisfy(link -> assertThat(
                span(s -> s.getSpanId().equals(link.getSpanContext().getSpanId()))).hasValueSatisfying(record -> {
                    assertThat(record.getName()).isEqualTo("record of topic " + BATCHED);
                    assertThat(record.getTraceId()).isEqualTo(link.getSpanContext().getTraceId());
                })));
    }

    @Test
    void aRunsJsonLogLineCarriesItsRunIdActionTopicPartitionAndOffset() throws IOException {
        String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        produce(KafkaBrokerResource.RUNS_TOPIC, "checkout", run(runId));

        await().atMost(WITHIN).until(() -> pickedUpLine(runId).isPresent());
        JsonNode line = pickedUpLine(runId).orElseThrow();
        JsonNode mdc = line.path("mdc");
        assertThat(mdc.path("runId").asText()).isEqualTo(runId);
        assertThat(mdc.path("action").asText()).isEqualTo("test_echo");
        assertThat(mdc.path("topic").asText()).isEqualTo(KafkaBrokerResource.RUNS_TOPIC);
        assertThat(mdc.path("partition").asText()).matches("[0-2]");
        assertThat(mdc.path("offset").asText()).matches("\\d+");
        assertThat(line.path("loggerName").asText()).isEqualTo("io.berth.runs.impl.RunRecordHandler");
    }

    @Test
    void aChangeEventsReportsToItsRunAreChildSpansOfTheEventsSpan() {
        String runId = runId();
        String entity = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode event = JSON.createObjectNode().put("action", "CREATE").put("resourceType", "entity")
                .put("status", "SUCCESS");
        event.putObject("trigger").put("origin", "API").putObject("by").put("orgId", "org_test");
        event.putObject("context").put("entity", entity).put("blueprint", "service").put("runId", runId);
        event.putObject("diff").putObject("after").put("identifier", entity);
        event.putObject("changelogDestination").put("type", "WEBHOOK").put("agent", true)
                .put("url", "http://localhost:1/unused");
        produce(KafkaBrokerResource.CHANGE_LOG_TOPIC, entity, event.toString());

        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent()
                && portCallsOf(runId).size() >= port.logs(runId).size() + 1);
        SpanData change = span(s -> s.getName().equals("change event") && s.getTraceId().equals(TRACE_ID)
                && portCallsOf(runId).stream().anyMatch(call -> call.getParentSpanId().equals(s.getSpanId())))
                .orElseThrow();
        assertThat(change.getParentSpanId()).as("the producer's span").isEqualTo(PRODUCER_SPAN);
        assertThat(portCallsOf(runId)).extracting(SpanData::getName).contains(
                "Port POST /v1/actions/runs/{run_id}/logs", "Port PATCH /v1/actions/runs/{run_id}");
        assertThat(portCallsOf(runId)).allSatisfy(call -> {
            assertThat(call.getParentSpanId()).isEqualTo(change.getSpanId());
            assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        });
    }

    @Test
    void aTriggersPortActionCallIsAChildSpanOfTheTriggerRecordsSpan() {
        produce(TRIGGERED, "deploy-" + UUID.randomUUID(), "{\"version\": \"2.0.1\"}");

        await().atMost(WITHIN).until(() -> span(s -> s.getName().equals("Port POST /v1/actions/{action}/runs")
                && s.getTraceId().equals(TRACE_ID)).isPresent());
        SpanData call = span(s -> s.getName().equals("Port POST /v1/actions/{action}/runs")
                && s.getTraceId().equals(TRACE_ID)).orElseThrow();
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        await().atMost(WITHIN).until(() -> span(s -> s.getSpanId().equals(call.getParentSpanId())).isPresent());
        SpanData record = span(s -> s.getSpanId().equals(call.getParentSpanId())).orElseThrow();
        assertThat(record.getName()).isEqualTo("record of trigger " + TRIGGER);
        assertThat(record.getParentSpanId()).as("the producer's span").isEqualTo(PRODUCER_SPAN);
    }

    @Test
    void aCallThroughTheInjectedPortClientIsAChildSpanOfTheHandlersSpanAndEachCallIsOneSpan() {
        String runId = runId();
        produce(KafkaBrokerResource.RUNS_TOPIC, "checkout", run(runId).replace("test_echo", DIRECT_ACTION));

        await().atMost(WITHIN).until(() -> runSpan(runId).isPresent());
        SpanData run = runSpan(runId).orElseThrow();
        SpanData handler = childrenOf(run).stream().filter(span -> span.getName().startsWith("handler ")).findFirst()
                .orElseThrow();
        assertThat(port.logs(runId)).contains(DirectPortHandler.SAID);
        assertThat(childrenOf(handler)).extracting(SpanData::getName)
                .containsExactly("Port POST /v1/actions/runs/{run_id}/logs");
        assertThat(portCallsOf(runId)).filteredOn(call -> call.getName().endsWith("/logs"))
                .as("one span per call, none traced twice").hasSize(port.logs(runId).size());
    }

    @Test
    void aRunsLifecycleEventsCarryTheRunsSpanAsTheirTraceparent() {
        String runId = runId();
        ConsumerTask<String, String> events = KafkaBrokerResource.companion().consumeStrings()
                .fromTopics(EVENT_PREFIX + ".task.status", EVENT_PREFIX + ".task.completion");
        try {
            produce(KafkaBrokerResource.RUNS_TOPIC, "checkout", run(runId));
            await().atMost(WITHIN).until(() -> runSpan(runId).isPresent()
                    && events.getRecords().stream().filter(r -> runId.equals(r.key())).count() >= 2);
            SpanData run = runSpan(runId).orElseThrow();
            assertThat(events.getRecords()).filteredOn(r -> runId.equals(r.key())).allSatisfy(event ->
                    assertThat(header(event, "traceparent")).isEqualTo("00-" + TRACE_ID + "-" + run.getSpanId() + "-01"));
        } finally {
            events.stop();
        }
    }

    @Test
    void aDeadLetterCarriesTheSpanOfTheRecordItWasMadeFrom() {
        String key = "bad-" + UUID.randomUUID();
        ConsumerTask<String, String> letters = KafkaBrokerResource.companion().consumeStrings()
                .fromTopics(KafkaBrokerResource.DEAD_LETTER_TOPIC);
        try {
            produce(KafkaBrokerResource.RUNS_TOPIC, key, "{not json");
            await().atMost(WITHIN).until(() -> letters.getRecords().stream().anyMatch(r -> key.equals(r.key())));
            String sent = header(letters.getRecords().stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow(),
                    "traceparent");
            assertThat(sent).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
            String recordSpan = sent.split("-")[2];
            await().atMost(WITHIN).until(() -> span(s -> s.getSpanId().equals(recordSpan)).isPresent());
            SpanData record = span(s -> s.getSpanId().equals(recordSpan)).orElseThrow();
            assertThat(record.getName()).isEqualTo("run");
            assertThat(record.getParentSpanId()).as("the producer's span").isEqualTo(PRODUCER_SPAN);
            assertThat(record.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        } finally {
            letters.stop();
        }
    }

    List<SpanData> portCallsOf(String runId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("Port ")
                && runId.equals(s.getAttributes().asMap().get(key("berth.run.id")))).toList();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String runId() {
        return "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** No span names a header, a token or a secret, Port's or the sink's. */
    void assertNoSecretIn(List<SpanData> finished) {
        List<String> tokens = port.requests().stream()
                .flatMap(request -> request.headers().entrySet().stream())
                .filter(header -> header.getKey().equalsIgnoreCase("Authorization"))
                .flatMap(header -> header.getValue().stream()).distinct().toList();
        assertThat(tokens).as("Port calls were made with a token").isNotEmpty();
        for (SpanData span : finished) {
            span.getAttributes().forEach((name, value) -> {
                assertThat(name.getKey().toLowerCase()).doesNotContain("authorization").doesNotContain("header");
                String text = String.valueOf(value);
                assertThat(text).doesNotContain(PortStandIn.CLIENT_SECRET).doesNotContain(SINK_TOKEN)
                        .doesNotContain("Bearer");
                tokens.forEach(token -> assertThat(text).doesNotContain(token.replace("Bearer ", "")));
            });
        }
    }

    static AttributeKey<String> key(String name) {
        return AttributeKey.stringKey(name);
    }

    Optional<SpanData> runSpan(String runId) {
        return span(s -> s.getName().equals("run") && runId.equals(s.getAttributes().asMap().get(key("berth.run.id")))
                && s.getAttributes().asMap().containsKey(key("berth.outcome")));
    }

    Optional<SpanData> span(java.util.function.Predicate<SpanData> which) {
        return spans.getFinishedSpanItems().stream().filter(which).findFirst();
    }

    List<SpanData> childrenOf(SpanData parent) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())).toList();
    }

    static List<LoggedRequest> requestsWith(String key) {
        return TracingFiles.receiver.findAll(postRequestedFor(urlEqualTo("/events"))).stream()
                .filter(request -> key.equals(request.getHeader("x-plt-kafka-hooks-key"))).toList();
    }

    static Optional<JsonNode> pickedUpLine(String runId) throws IOException {
        if (!Files.exists(LOG_FILE)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(LOG_FILE, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(runId) && line.contains("action 'test_echo'"))
                    .findFirst().map(TracingIT::parse);
        }
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON log line: " + line, e);
        }
    }

    void produce(String topic, String key, String value) {
        produce(topic, key, value, TRACEPARENT);
    }

    void produce(String topic, String key, String value, String traceparent) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(new RecordHeader("traceparent", traceparent.getBytes(StandardCharsets.UTF_8)));
        KafkaBrokerResource.companion().produceStrings().fromRecords(record).awaitCompletion(WITHIN);
    }

    static String run(String runId) {
        return """
                {"action": "test_echo", "resourceType": "run", "status": "TRIGGERED",
                 "trigger": {"by": {"orgId": "org_test", "userId": "auth0|1"}, "origin": "UI", "at": "2026-11-20T09:14:03.512Z"},
                 "context": {"entity": "checkout", "blueprint": "service", "runId": "%s"},
                 "payload": {"entity": {"identifier": "checkout", "blueprint": "service"},
                             "action": {"identifier": "test_echo", "blueprint": "service",
                                        "invocationMethod": {"type": "KAFKA"}},
                             "properties": {"name": "ledger"}}}
                """.formatted(runId);
    }

    /** A handler that reports through the PortClient it is given, not its RunContext. */
    @ApplicationScoped
    static class DirectPortHandler implements ActionHandler {

        static final String SAID = "said through the injected PortClient";

        @Inject
        PortClient port;

        @Override
        public Set<String> actions() {
            return Set.of(DIRECT_ACTION);
        }

        @Override
        public Uni<RunResult> handle(RunContext run) {
            return port.addRunLog(run.runId(), SAID).replaceWith(RunResult.success());
        }
    }

    /** The spans, kept in memory: Quarkus exports to every SpanExporter bean (exporter "cdi"). */
    @Singleton
    static class Spans {

        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    /** The SDK on, OTLP off, spans exported every 50 ms; JSON lines to a file; a bridge file. */
    /** With tracing, counters and histograms carry the trace id of the span they were updated in. */
    @Test
    void thePrometheusRegistrySamplesExemplarsWithTracing() {
        assertThat(exemplars).isPresent();
    }

    public static class TracingOn implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG_FILE.toString(),
                    "quarkus.log.file.json.enabled", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TracingFiles.class));
        }
    }

    /** A receiver and a one-subscription bridge file whose requests carry a secret header. */
    public static class TracingFiles implements QuarkusTestResourceLifecycleManager {

        static WireMockServer receiver;

        @Override
        public Map<String, String> start() {
            receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
            receiver.start();
            KafkaBrokerResource.createTopic(EVENTS, 1);
            KafkaBrokerResource.createTopic(BATCHED, 1);
            KafkaBrokerResource.createTopic(TRIGGERED, 1);
            KafkaBrokerResource.createTopic(TRIGGERED + ".dlq", 1);
            KafkaBrokerResource.createTopic(EVENT_PREFIX + ".task.status", 1);
            KafkaBrokerResource.createTopic(EVENT_PREFIX + ".task.completion", 1);
            String file = """
                    {"kafka": {"brokers": ["%s"],
                               "topics": [{"topic": "%s", "url": "http://localhost:%d/events",
                                           "headers": {"Authorization": "%s"}},
                                          {"topic": "%s", "url": "http://localhost:%d/batch",
                                           "batch": {"maxRecords": 2, "linger": "20s"}}],
                               "consumer": {"groupId": "tracing-it", "mode": "earliest", "maxWaitTime": 500}}}
                    """.formatted(KafkaBrokerResource.bootstrapServers(), EVENTS, receiver.port(), SINK_TOKEN, BATCHED,
                            receiver.port());
            try {
                Path path = Files.createDirectories(Path.of("target")).resolve("tracing-it-bridge.json");
                Files.writeString(path, file);
                Path triggers = Files.writeString(path.resolveSibling("tracing-it-triggers.yaml"), """
                        triggers:
                          - id: %s
                            type: kafka
                            configuration: {topic: %s, from_beginning: true}
                            target: {port_action: {action: tracing_it_deploy, properties: {version: .message.version}}}
                        """.formatted(TRIGGER, TRIGGERED));
                Files.deleteIfExists(LOG_FILE);
                return Map.of("berth.bridge.path", path.toString(), "berth.triggers.path", triggers.toString(),
                        "berth.events.enabled", "true", "berth.events.topic-prefix", EVENT_PREFIX);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            receiver.stop();
        }
    }
}
