package io.berth.bridge.impl;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.bridge.OutboundAuth;
import io.berth.bridge.Subscription;
import io.berth.config.Secret;
import io.berth.delivery.Ordering;

/**
 * One entry of {@code topics}, with kafka-hooks' defaults (POST, 3 attempts, 1000 ms apart,
 * {@code plt-kafka-hooks-dlq}, the attempt header sent) and Berth's (30 s per attempt, key order,
 * the file's {@code concurrency} per partition). kafka-hooks' own limits are kept: at least one
 * attempt, {@code retryDelay} at least 250 ms.
 */
final class SubscriptionReader {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(1000);
    static final Duration MINIMUM_RETRY_DELAY = Duration.ofMillis(250);

    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> BACKOFF_KEYS = Set.of("initial", "multiplier", "max", "jitter");
    private static final Set<String> BATCH_KEYS = Set.of("maxRecords", "maxBytes", "linger");
    private static final Set<String> HEADER_AUTH_KEYS = Set.of("name", "env");
    private static final Set<String> OAUTH2_KEYS = Set.of("tokenUrl", "clientId", "clientSecret", "scope");
    /** RFC 9110 §5.6.2 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private SubscriptionReader() {
    }

    static Optional<Subscription> read(Fields entry, int concurrency, Function<String, String> env) {
        String topic = entry.required("topic", "\"orders\"");
        String url = entry.required("url", "\"https://api.example.com/orders\"");
        if (url != null && !BridgeFile.isHttpUrl(url)) {
            entry.problem("url", "must be an absolute http(s) url, e.g. \"https://api.example.com/orders\"");
        }
        String method = entry.text("method", "POST");
        if (method != null && !METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            entry.problem("method", "must be one of POST, PUT, PATCH, DELETE, was '" + method + "'");
        }
        Map<String, String> headers = entry.textMap("headers");
        int attempts = entry.integer("retries", 1, 3);
        Duration retryDelay = entry.duration("retryDelay", MINIMUM_RETRY_DELAY, DEFAULT_RETRY_DELAY);
        Optional<String> dlq = deadLetterTopic(entry);
        boolean includeAttempt = entry.bool("includeAttemptInRequests", true);
        Optional<Subscription.Backoff> backoff = backoff(entry.object("backoff", "{initial, multiplier, max, jitter}"),
                retryDelay);
        Duration timeout = entry.duration("timeout", Duration.ofMillis(1), DEFAULT_TIMEOUT);
        Ordering ordering = ordering(entry);
        int maxInFlight = entry.integer("maxInFlight", 1, concurrency);
        Optional<Subscription.Batch> batch = batch(entry.object("batch", "{maxRecords, maxBytes, linger}"));
        Optional<OutboundAuth> auth = auth(entry, env);
        if (topic == null || url == null || method == null) {
            return Optional.empty();
        }
        return Optional.of(new Subscription(topic, url, method.toUpperCase(Locale.ROOT), headers, attempts, retryDelay,
                dlq, includeAttempt, backoff, timeout, ordering, maxInFlight, batch, auth));
    }

    /** {@code dlq}: a topic; true or absent: kafka-hooks' default topic; false: none. */
    private static Optional<String> deadLetterTopic(Fields entry) {
        JsonNode dlq = entry.get("dlq");
        if (dlq == null || dlq.isNull() || (dlq.isBoolean() && dlq.booleanValue())) {
            return Optional.of(Subscription.DEFAULT_DLQ);
        }
        if (dlq.isBoolean()) {
            return Optional.empty();
        }
        if (dlq.isTextual() && !dlq.textValue().isBlank()) {
            return switch (dlq.textValue()) {
                case "true" -> Optional.of(Subscription.DEFAULT_DLQ);
                case "false" -> Optional.empty();
                default -> Optional.of(dlq.textValue());
            };
        }
        entry.problem("dlq", "must be a topic name, true (" + Subscription.DEFAULT_DLQ + ") or false (none)");
        return Optional.empty();
    }

    private static Optional<Subscription.Backoff> backoff(Fields backoff, Duration retryDelay) {
        if (backoff == null) {
            return Optional.empty();
        }
        backoff.refuseUnknown(BACKOFF_KEYS);
        Duration initial = backoff.duration("initial", Duration.ofMillis(1), retryDelay);
        double multiplier = backoff.decimal("multiplier", 1.0, 1000.0, 2.0);
        Duration max = backoff.duration("max", Duration.ofMillis(1), Duration.ofSeconds(30).compareTo(initial) < 0
                ? initial : Duration.ofSeconds(30));
        if (max.compareTo(initial) < 0) {
            backoff.problem("max", "(" + max.toMillis() + " ms) must not be shorter than initial ("
                    + initial.toMillis() + " ms)");
        }
        double jitter = backoff.decimal("jitter", 0.0, 1.0, 0.2);
        return Optional.of(new Subscription.Backoff(initial, multiplier, max, jitter));
    }

    private static Ordering ordering(Fields entry) {
        String value = entry.text("ordering", "key");
        if (value == null) {
            return Ordering.KEY;
        }
        try {
            return Ordering.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            entry.problem("ordering", "must be key (one record at a time per key), partition or none, was '"
                    + value + "'");
            return Ordering.KEY;
        }
    }

    private static Optional<Subscription.Batch> batch(Fields batch) {
        if (batch == null) {
            return Optional.empty();
        }
        batch.refuseUnknown(BATCH_KEYS);
        return Optional.of(new Subscription.Batch(batch.integer("maxRecords", 1, 100),
                batch.integer("maxBytes", 1, 1024 * 1024), batch.duration("linger", Duration.ZERO,
                        Duration.ofMillis(50))));
    }

    /** {@code auth}: exactly one of {@code header} and {@code oauth2}. */
    private static Optional<OutboundAuth> auth(Fields entry, Function<String, String> env) {
        if (!entry.has("auth")) {
            return Optional.empty();
        }
        JsonNode auth = entry.get("auth");
        if (!auth.isObject() || auth.size() != 1 || !(auth.has("header") || auth.has("oauth2"))) {
            entry.problem("auth", "must be an object with exactly one of header ({name, env}) or oauth2 "
                    + "({tokenUrl, clientId, clientSecret, scope})");
            return Optional.empty();
        }
        Fields scheme = entry.object("auth", "");
        return auth.has("header") ? header(scheme.object("header", "{name, env}"), env)
                : clientCredentials(scheme.object("oauth2", "{tokenUrl, clientId, clientSecret, scope}"));
    }

    private static Optional<OutboundAuth> header(Fields header, Function<String, String> env) {
        if (header == null) {
            return Optional.empty();
        }
        header.refuseUnknown(HEADER_AUTH_KEYS);
        String name = header.required("name", "\"Authorization\"");
        if (name != null && !HEADER_NAME.matcher(name).matches()) {
            header.problem("name", "must be a header name (letters, digits, '-'), e.g. \"Authorization\"");
        }
        String variable = header.required("env", "\"ORDERS_WEBHOOK_TOKEN\" (the variable holding the value)");
        String value = variable == null ? null : env.apply(variable);
        if (variable != null && (value == null || value.isBlank())) {
            header.problem("env", "names " + variable + ", which is not set: set " + variable
                    + " to the header's value, e.g. \"Bearer ...\"");
            return Optional.empty();
        }
        return name == null || value == null ? Optional.empty()
                : Optional.of(new OutboundAuth.StaticHeader(name, Secret.of(value), variable));
    }

    private static Optional<OutboundAuth> clientCredentials(Fields oauth2) {
        if (oauth2 == null) {
            return Optional.empty();
        }
        oauth2.refuseUnknown(OAUTH2_KEYS);
        String tokenUrl = oauth2.required("tokenUrl", "\"https://auth.example.com/oauth2/token\"");
        if (tokenUrl != null && !BridgeFile.isHttpUrl(tokenUrl)) {
            oauth2.problem("tokenUrl", "must be an absolute http(s) url, e.g. \"https://auth.example.com/oauth2/token\"");
            tokenUrl = null;
        }
        String clientId = oauth2.required("clientId", "\"berth\"");
        String secret = oauth2.required("clientSecret", "\"{ORDERS_CLIENT_SECRET}\" (a Watt placeholder read from the "
                + "environment)");
        Optional<String> scope = Optional.ofNullable(oauth2.text("scope", null)).filter(s -> !s.isBlank());
        return tokenUrl == null || clientId == null || secret == null ? Optional.empty()
                : Optional.of(new OutboundAuth.ClientCredentials(URI.create(tokenUrl), clientId, Secret.of(secret),
                        scope));
    }
}
