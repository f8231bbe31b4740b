package io.berth.publish.impl;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.config.BerthSettings;
import io.berth.config.KafkaClientConfig;
import io.berth.publish.KafkaPublisher;
import io.berth.publish.Publication;
import io.berth.publish.PublishFailedException;
import io.berth.publish.PublishSettings;
import io.berth.publish.Published;
import io.berth.publish.SchemaRegistryOptions;
import io.berth.retry.RetryPolicy;
import io.berth.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Publishes a run's record:
 *
 * <pre>
 *   value ─ no registry ──────────────────────────────────────────────▶ bytes (a string as its text, else JSON)
 *         └ registry: latest schema (cached) ─▶ check + encode (JSON Schema | Avro) ─▶ [wire format] ─▶ bytes
 *   bytes ─▶ producer of the entry's options (worker thread: send may wait for metadata)
 *         ─▶ broker's acknowledgement ─▶ Published(topic, partition, offset)
 * </pre>
 *
 * The {@link Uni} completes on the caller's Vert.x context when it had one, never on the producer's
 * I/O thread.
 */
@ApplicationScoped
class KafkaPublisherImpl implements KafkaPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaPublisherImpl.class);

    private final ProducerPool producers;
    private final SchemaRegistryClient registry;

    @Inject
    KafkaPublisherImpl(@Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> connection, Vertx vertx,
            PublishSettings settings, BerthSettings berth) {
        this(new ProducerPool(connection::get), new SchemaRegistryClient(WebClient.create(vertx),
                RetryPolicy.of(berth.webhook().retry()), settings.registryTimeout(), settings.schemaRefresh()));
    }

    KafkaPublisherImpl(ProducerPool producers, SchemaRegistryClient registry) {
        this.producers = producers;
        this.registry = registry;
    }

    @Override
    public Uni<Published> publish(Publication publication) {
        // Called within the handler's span (Tracing.handler): the publish is its child.
        Context trace = Context.current();
        Optional<SchemaRegistryOptions> options = publication.registry();
        if (options.isEmpty()) {
            return Uni.createFrom().item(() -> plain(publication.value()))
                    .onItem().transformToUni(bytes -> send(publication, bytes, Optional.empty(), trace));
        }
        String subject = options.get().subjectFor(publication.topic());
        return registry.latest(options.get(), subject)
                .onItem().transformToUni(schema -> {
                    if (options.get().format().filter(format -> format != schema.format()).isPresent()) {
                        return Uni.createFrom().failure(new PublishFailedException("The entry writes "
                                + options.get().format().get() + " but subject " + subject + " holds a "
                                + schema.format() + " schema (id " + schema.id() + ")"));
                    }
                    byte[] payload = schema.codec().encode(publication.value());
                    byte[] bytes = options.get().wireFormat() ? ConfluentFraming.frame(schema.id(), payload) : payload;
                    return send(publication, bytes, Optional.of(schema.id()), trace);
                });
    }

    /** Without a schema: a string is written as its text (any format a mapping builds), anything else as JSON. */
    private static byte[] plain(JsonNode value) {
        return (value.isTextual() ? value.textValue() : value.toString()).getBytes(StandardCharsets.UTF_8);
    }

    /** The send is a span of its own, whose trace the record carries (W3C traceparent; none with tracing off). */
    private Uni<Published> send(Publication publication, byte[] value, Optional<Integer> schemaId, Context trace) {
        return Tracing.of(trace).publish(trace, publication.topic(), span -> sendInSpan(publication, value, schemaId, span));
    }

    private Uni<Published> sendInSpan(Publication publication, byte[] value, Optional<Integer> schemaId, Context span) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(publication.topic(), null,
                publication.key() == null ? null : publication.key().getBytes(StandardCharsets.UTF_8), value);
        publication.headers().forEach((name, text) -> record.headers()
                .add(new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8))));
        // Unless the mapping's headers carry a trace of their own.
        Tracing.injectInto(span, (name, text) -> {
            if (record.headers().lastHeader(name) == null) {
                record.headers().add(new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8)));
            }
        });
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().<RecordMetadata>emitter(emitter -> {
            try {
                producers.producerFor(publication.options()).send(record, (metadata, failure) -> {
                    if (failure == null) {
                        emitter.complete(metadata);
                    } else {
                        emitter.fail(failure);
                    }
                });
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(command -> {
                    if (caller != null) {
                        caller.runOnContext(ignored -> command.run());
                    } else {
                        Infrastructure.getDefaultExecutor().execute(command);
                    }
                })
                .onItem().transform(metadata -> new Published(metadata.topic(), metadata.partition(), metadata.offset(),
                        schemaId))
                .onFailure(failure -> !(failure instanceof PublishFailedException)).transform(failure -> {
                    LOG.debugf("Run %s: publishing to %s failed: %s", publication.runId(), publication.topic(), failure);
                    return new PublishFailedException("Kafka did not acknowledge the record for topic "
                            + publication.topic() + ": " + failure.getClass().getSimpleName()
                            + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")"));
                });
    }

    @PreDestroy
    void close() {
        producers.close();
    }

}
