package io.berth.console;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.KafkaClientConfig;
import io.berth.config.PortSettings;
import io.berth.config.Streamer;
import io.berth.config.StreamerSettings;
import io.berth.sandbox.SandboxPort;
import io.berth.config.Secret;
import io.berth.webhook.PortSignature;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Publishes to the runs topic as Port does: a v1 run message signed with the client secret
 * ({@code headers.X-Port-Signature}), or a dead letter's original bytes for a replay. The console's
 * runs then go through the whole pipeline, signature check included, like any run from Port. With
 * {@code STREAMER_NAME=POLLING} (no runs topic) a new run is queued in dev mode's Port sandbox
 * instead, for Berth to claim.
 */
@ApplicationScoped
public final class RunsTopicPublisher {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Instance<Map<String, Object>> producerConfig;
    private final String runsTopic;
    private final String orgId;
    private final Optional<Secret> clientSecret;
    private final boolean polling;
    private final Instance<SandboxPort> sandbox;
    private KafkaProducer<String, byte[]> producer;

    /**
     * @param sandbox dev mode's Port sandbox: with {@code STREAMER_NAME=POLLING} a run is queued there
     *        for Berth to claim, as Port queues one for a polling agent
     */
    @Inject
    RunsTopicPublisher(@Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> producerConfig,
            @ConfigProperty(name = "mp.messaging.incoming.runs.topic") String runsTopic, PortSettings port,
            StreamerSettings streamer, Instance<SandboxPort> sandbox) {
        this.polling = Streamer.of(streamer) == Streamer.POLLING;
        this.sandbox = sandbox;
        this.producerConfig = producerConfig;
        this.runsTopic = runsTopic;
        this.orgId = port.orgId().orElse("");
        this.clientSecret = port.clientSecret().filter(secret -> !secret.isBlank());
    }

    /** What to run: {@code webhook} true for a mapping-file action (an agent webhook invocation). */
    public record Trigger(String action, ObjectNode inputs, String entity, String blueprint, boolean webhook,
            String triggeredBy) {
    }

    /** Publishes a new run and answers its id once the broker has stored it. */
    public String trigger(Trigger trigger) {
        String runId = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ObjectNode message = message(runId, trigger);
        if (polling) {
            if (!sandbox.isResolvable()) {
                throw new IllegalStateException("With STREAMER_NAME=POLLING runs come from Port's API: start the run "
                        + "in Port (the console queues runs only in dev mode's Port sandbox)");
            }
            sandbox.get().addPendingRun(runId, message); // claimed from Port's API: unsigned, as Port hands them out
            return runId;
        }
        clientSecret.ifPresent(secret -> PortSignature.signAsPort(message, secret, Instant.now().getEpochSecond()));
        send(trigger.entity() != null ? trigger.entity() : runId, message.toString().getBytes(StandardCharsets.UTF_8));
        return runId;
    }

    /** Publishes {@code value} again, unchanged, for the pipeline to take another look. */
    public void republish(String key, byte[] value) {
        send(key, value);
    }

    public String runsTopic() {
        return runsTopic;
    }

    /** The v1 shape of {@code examples/run-v1-webhook-agent.json}. */
    private ObjectNode message(String runId, Trigger trigger) {
        String blueprint = trigger.blueprint() == null || trigger.blueprint().isBlank() ? "service" : trigger.blueprint();
        ObjectNode message = JSON.objectNode();
        message.put("action", trigger.action()).put("resourceType", "run").put("status", "TRIGGERED");
        ObjectNode by = message.putObject("trigger").putObject("by").put("orgId", orgId).put("userId", "berth-console");
        by.putObject("user").put("email", trigger.triggeredBy());
        message.with("trigger").put("origin", "UI").put("at", Instant.now().toString());
        ObjectNode context = message.putObject("context");
        ObjectNode payload = JSON.objectNode();
        if (trigger.entity() == null) {
            context.putNull("entity");
            payload.putNull("entity");
        } else {
            context.put("entity", trigger.entity());
            payload.putObject("entity").put("identifier", trigger.entity()).put("title", trigger.entity())
                    .put("blueprint", blueprint);
        }
        context.put("blueprint", blueprint).put("runId", runId);
        message.set("payload", payload);
        ObjectNode action = payload.putObject("action").put("id", "action_" + trigger.action())
                .put("identifier", trigger.action()).put("title", trigger.action()).put("trigger", "DAY-2")
                .put("blueprint", blueprint);
        ObjectNode invocation = action.putObject("invocationMethod");
        if (trigger.webhook()) {
            invocation.put("type", "WEBHOOK").put("agent", true).put("synchronized", true).put("method", "POST")
                    .put("url", "http://localhost/");
        } else {
            invocation.put("type", "KAFKA");
        }
        payload.set("properties", trigger.inputs() == null ? JSON.objectNode() : trigger.inputs());
        payload.putArray("censoredProperties");
        message.putObject("headers");
        return message;
    }

    private void send(String key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(runsTopic, key, value)).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing to " + runsTopic, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Could not publish to " + runsTopic + ": " + cause.getMessage(), cause);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(producerConfig.get());
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "berth-console");
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
