package io.berth.publish.impl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.publish.PublishFailedException;
import io.berth.publish.SchemaFormat;
import io.berth.publish.SchemaRegistryOptions;
import io.berth.retry.RetryDecision;
import io.berth.retry.RetryPolicy;
import io.berth.retry.RetryRules;
import io.berth.retry.Retrying;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Reads a subject's latest schema from a registry speaking Confluent's REST API:
 * {@code GET {url}/subjects/{subject}/versions/latest}, answered with {@code subject}, {@code version},
 * {@code id}, {@code schemaType} (absent for Avro) and {@code schema} (the schema as a string).
 *
 * <p>Each schema is kept for {@code BERTH_PUBLISH_SCHEMA_REFRESH}, then fetched again on the next use.
 * Connection errors, timeouts, 408, 429 and 5xx are retried under the webhook retry policy
 * ({@link RetryRules#forWebhook}); when a refresh fails that way the schema already held is used
 * (a WARN says so), as Confluent's serializers keep theirs. Without one the run fails, saying the
 * registry is unreachable.
 */
final class SchemaRegistryClient {

    private static final Logger LOG = Logger.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Confluent's content types, newest first; Apicurio's ccompat API serves the same. */
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, "
            + "application/json";

    private final WebClient client;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final Duration refresh;
    private final ConcurrentMap<String, Held> cache = new ConcurrentHashMap<>();

    private record Held(RegisteredSchema schema, long fetchedAt) {
    }

    SchemaRegistryClient(WebClient client, RetryPolicy retry, Duration requestTimeout, Duration refresh) {
        this.client = client;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
        this.refresh = refresh;
    }

    /** The subject's latest schema: held, or fetched; fails with a {@link PublishFailedException}. */
    Uni<RegisteredSchema> latest(SchemaRegistryOptions registry, String subject) {
        String key = registry.url() + " " + subject + " " + registry.username().orElse("");
        Held held = cache.get(key);
        if (held != null && System.nanoTime() - held.fetchedAt() < refresh.toNanos()) {
            return Uni.createFrom().item(held.schema());
        }
        return fetch(registry, subject)
                .invoke(schema -> cache.put(key, new Held(schema, System.nanoTime())))
                .onFailure(RegistryUnreachable.class).recoverWithUni(failure -> {
                    if (held == null) {
                        return Uni.createFrom().failure(new PublishFailedException(failure.getMessage()));
                    }
                    LOG.warnf("%s; publishing with the schema held since the last refresh (id %d)",
                            failure.getMessage(), held.schema().id());
                    return Uni.createFrom().item(held.schema());
                });
    }

    private Uni<RegisteredSchema> fetch(SchemaRegistryOptions registry, String subject) {
        String url = registry.url() + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/versions/latest";
        String what = "Schema registry " + registry.url() + ", subject " + subject;
        AtomicInteger attempts = new AtomicInteger();
        return Retrying.call(() -> {
            attempts.incrementAndGet();
            var request = client.getAbs(url).putHeader("Accept", ACCEPT).timeout(requestTimeout.toMillis());
            registry.username().ifPresent(user -> request.putHeader("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + registry.password().orElseThrow().reveal())
                            .getBytes(StandardCharsets.UTF_8))));
            return request.send();
        }, SchemaRegistryClient::classify, retry, "GET " + what, "schema-registry")
                .onFailure().transform(failure -> new RegistryUnreachable(what + " is unreachable after "
                        + attempts.get() + " attempt(s): " + failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")")))
                .onItem().transform(response -> answered(response, what, subject, attempts.get()));
    }

    private static RetryDecision classify(HttpResponse<Buffer> response, Throwable failure) {
        return failure != null ? RetryRules.forWebhookFailure(failure)
                : RetryRules.forWebhook(response.statusCode(), response::getHeader);
    }

    private static RegisteredSchema answered(HttpResponse<Buffer> response, String what, String subject,
            int attempts) {
        int status = response.statusCode();
        if (status == 404) {
            throw new PublishFailedException(what + " answered 404: the subject has no schema (register one, or "
                    + "set schemaRegistry.subject)");
        }
        if (RetryRules.forWebhook(status, response::getHeader) instanceof RetryDecision.Retry) {
            throw new RegistryUnreachable(what + " is unavailable: answered " + status + " after " + attempts
                    + " attempt(s)");
        }
        if (status < 200 || status >= 300) {
            throw new PublishFailedException(what + " answered " + status);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.bodyAsString());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new PublishFailedException(what + " answered " + status + " with a body that is not JSON");
        }
        JsonNode id = body == null ? null : body.get("id");
        JsonNode schema = body == null ? null : body.get("schema");
        if (id == null || !id.canConvertToInt() || schema == null || !schema.isTextual()) {
            throw new PublishFailedException(what + " answered without the integer \"id\" and string \"schema\" "
                    + "of Confluent's API");
        }
        String type = Optional.ofNullable(body.get("schemaType")).filter(JsonNode::isTextual).map(JsonNode::textValue)
                .orElse("AVRO").toUpperCase(Locale.ROOT);
        return switch (type) {
            case "AVRO" -> new RegisteredSchema(subject, id.intValue(), SchemaFormat.AVRO,
                    ValueCodec.avro(avro(schema.textValue(), what, id.intValue()), subject));
            case "JSON" -> new RegisteredSchema(subject, id.intValue(), SchemaFormat.JSON,
                    ValueCodec.jsonSchema(json(schema.textValue(), what, id.intValue()), subject));
            default -> throw new PublishFailedException(what + " holds a " + type
                    + " schema: Berth writes JSON (JSON Schema) and AVRO only");
        };
    }

    private static Schema avro(String text, String what, int id) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new PublishFailedException(what + ": schema id " + id + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    private static JsonNode json(String text, String what, int id) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PublishFailedException(what + ": schema id " + id + " is not JSON");
        }
    }

    /** The registry did not answer usefully within the retries: a held schema may still serve. */
    static final class RegistryUnreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegistryUnreachable(String message) {
            super(message, null, false, false);
        }
    }
}
