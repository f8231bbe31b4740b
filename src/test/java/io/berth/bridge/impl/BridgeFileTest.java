package io.berth.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.berth.bridge.BridgeConfiguration;
import io.berth.bridge.BridgeConfiguration.RequestResponseRoute;
import io.berth.bridge.InvalidBridgeFile;
import io.berth.bridge.OutboundAuth;
import io.berth.bridge.Subscription;
import io.berth.delivery.Ordering;

/** The bridge file: kafka-hooks' own files read unchanged, Berth's keys, and errors that name entry and field. */
class BridgeFileTest {

    static final Map<String, String> ENV = Map.of("PLT_KAFKA_BROKER", "localhost:9092",
            "PLT_KAFKA_TOPIC", "events", "PLT_KAFKA_URL", "http://localhost:3000/events",
            "PLT_KAFKA_CONSUMER_GROUP", "plt-kafka-hooks-consumer", "ORDERS_TOKEN", "Bearer s3cr3t-token",
            "ORDERS_CLIENT_SECRET", "cl13nt-s3cr3t");

    static BridgeConfiguration parse(String json) {
        return BridgeFile.parse(json, "bridge.json", false, ENV::get);
    }

    static String problems(String json) {
        try {
            parse(json);
        } catch (InvalidBridgeFile invalid) {
            return invalid.getMessage();
        }
        throw new AssertionError("the file was accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"platformatic.json", "kafka-section.yaml"})
    void readsAKafkaHooksFileUnchangedWholeOrItsSectionAloneWithKafkaHooksDefaults(String file) throws URISyntaxException {
        Path path = Path.of(BridgeFileTest.class.getResource("/bridge/" + file).toURI());

        BridgeConfiguration bridge = BridgeFile.load(path, ENV::get);

        assertThat(bridge.brokers()).containsExactly("localhost:9092");
        assertThat(bridge.concurrency()).isEqualTo(5);
        assertThat(bridge.consumer().groupId()).isEqualTo("plt-kafka-hooks-consumer");
        assertThat(bridge.consumer().autoOffsetReset()).isEqualTo("earliest");
        assertThat(bridge.consumer().kafkaProperties()).containsEntry("session.timeout.ms", 10000)
                .containsEntry("heartbeat.interval.ms", 500).containsEntry("fetch.max.wait.ms", 500)
                .containsEntry("max.poll.interval.ms", 15000);
        Subscription events = bridge.subscription("events").orElseThrow();
        assertThat(events.url()).isEqualTo("http://localhost:3000/events");
        assertThat(events.method()).isEqualTo("POST");
        assertThat(events.attempts()).isEqualTo(3);
        assertThat(events.retryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(events.deadLetterTopic()).contains("plt-kafka-hooks-dlq");
        assertThat(events.includeAttempt()).isTrue();
        assertThat(events.headers()).isEmpty();
        assertThat(events.backoff()).isEmpty();
        assertThat(events.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(events.ordering()).isEqualTo(Ordering.KEY);
        assertThat(events.maxInFlight()).isEqualTo(5);
        assertThat(events.batch()).isEmpty();
        assertThat(events.auth()).isEmpty();
        Subscription notifications = bridge.subscription("notifications").orElseThrow();
        assertThat(notifications.method()).isEqualTo("PUT");
        assertThat(notifications.headers()).containsExactlyEntriesOf(Map.of("x-source", "kafka"));
        assertThat(notifications.attempts()).isEqualTo(5);
        assertThat(notifications.retryDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(notifications.deadLetterTopic()).contains("notifications-dlq");
        assertThat(notifications.includeAttempt()).isFalse();
        assertThat(bridge.subscription("audit").orElseThrow().deadLetterTopic()).isEmpty();
        assertThat(bridge.requestResponse()).containsExactly(new RequestResponseRoute("/api/process/:id",
                "process-requests", "process-responses", Duration.ofSeconds(5)));
        assertThat(bridge.publish()).isEmpty();
    }

    @Test
    void readsBerthsOwnKeys() {
        BridgeConfiguration bridge = parse("""
                {"brokers": ["a:9092,b:9092"], "concurrency": "{CONCURRENCY}",
                 "topics": [
                   {"topic": "orders", "url": "https://sink.example.com/orders", "retries": 6, "dlq": true,
                    "backoff": {"initial": 200, "multiplier": 3, "max": "5s", "jitter": 0.1},
                    "timeout": "2s", "ordering": "partition", "maxInFlight": 4,
                    "batch": {"maxRecords": 50, "maxBytes": 65536, "linger": "20ms"},
                    "auth": {"header": {"name": "Authorization", "env": "ORDERS_TOKEN"}}},
                   {"topic": "payments", "url": "https://sink.example.com/payments", "ordering": "none",
                    "auth": {"oauth2": {"tokenUrl": "https://auth.example.com/token", "clientId": "berth",
                                        "clientSecret": "{ORDERS_CLIENT_SECRET}", "scope": "sink.write"}}}],
                 "publish": ["orders", "audit"]}
                """.replace("{CONCURRENCY}", "12"));

        assertThat(bridge.brokers()).containsExactly("a:9092", "b:9092");
        assertThat(bridge.concurrency()).isEqualTo(12);
        assertThat(bridge.consumer().groupId()).isEqualTo("plt-kafka-hooks");
        assertThat(bridge.publish()).containsExactly("orders", "audit");
        Subscription orders = bridge.subscription("orders").orElseThrow();
        assertThat(orders.deadLetterTopic()).contains("plt-kafka-hooks-dlq");
        assertThat(orders.backoff()).contains(new Subscription.Backoff(Duration.ofMillis(200), 3.0,
                Duration.ofSeconds(5), 0.1));
        assertThat(orders.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(orders.ordering()).isEqualTo(Ordering.PARTITION);
        assertThat(orders.maxInFlight()).isEqualTo(4);
        assertThat(orders.batch()).contains(new Subscription.Batch(50, 65536, Duration.ofMillis(20)));
        OutboundAuth.StaticHeader header = (OutboundAuth.StaticHeader) orders.auth().orElseThrow();
        assertThat(header.name()).isEqualTo("Authorization");
        assertThat(header.value().reveal()).isEqualTo("Bearer s3cr3t-token");
        Subscription payments = bridge.subscription("payments").orElseThrow();
        assertThat(payments.ordering()).isEqualTo(Ordering.NONE);
        assertThat(payments.maxInFlight()).isEqualTo(12);
        OutboundAuth.ClientCredentials oauth = (OutboundAuth.ClientCredentials) payments.auth().orElseThrow();
        assertThat(oauth.clientSecret().reveal()).isEqualTo("cl13nt-s3cr3t");
        assertThat(oauth.scope()).contains("sink.write");
        assertThat(String.valueOf(orders) + payments + header + oauth).doesNotContain("s3cr3t");
    }

    @Test
    void listsEveryProblemAtOnceNamingTheEntryAndTheField() {
        String message = problems("""
                {"kafka": {"brokers": ["b:9092"],
                 "topics": [
                   {"topic": "orders", "url": "not a url", "method": "GET", "retries": 0, "retryDelay": 100,
                    "ordering": "random", "colour": "blue"},
                   {"url": "https://sink.example.com/x"},
                   {"topic": "orders", "url": "https://sink.example.com/y",
                    "backoff": {"initial": 1000, "max": 10, "multiplier": 0.5},
                    "auth": {"header": {"name": "Authorization", "env": "UNSET_TOKEN"}}}],
                 "requestResponse": [{"path": "api", "requestTopic": "rq"}],
                 "consumer": {"groupId": "g", "mode": "manual"}, "concurency": 3}}
                """);

        assertThat(message).startsWith("Bridge file bridge.json cannot be used:")
                .contains("concurency is not a known key")
                .contains("consumer.mode manual (offsets given in the file) is not supported")
                .contains("topics[0] (topic 'orders'): url must be an absolute http(s) url")
                .contains("topics[0] (topic 'orders'): method must be one of POST, PUT, PATCH, DELETE, was 'GET'")
                .contains("topics[0] (topic 'orders'): retries must be a whole number of at least 1, was 0")
                .contains("topics[0] (topic 'orders'): retryDelay must be at least 250 ms, was 100 ms")
                .contains("topics[0] (topic 'orders'): ordering must be key")
                .contains("topics[0] (topic 'orders'): colour is not a known key")
                .contains("topics[1]: topic is missing")
                .contains("topics[2] (topic 'orders'): topic is consumed by an earlier entry already")
                .contains("topics[2] (topic 'orders'): backoff.multiplier must be a number from 1.0")
                .contains("topics[2] (topic 'orders'): backoff.max (10 ms) must not be shorter than initial (1000 ms)")
                .contains("topics[2] (topic 'orders'): auth.header.env names UNSET_TOKEN, which is not set")
                .contains("requestResponse[0] (path 'api'): path must start with '/'")
                .contains("requestResponse[0] (path 'api'): responseTopic is missing");
    }

    @Test
    void anUnsetPlaceholderNamesItsFieldAndVariable() {
        assertThat(problems("""
                {"brokers": ["{NOT_SET_BROKER}"], "topics": [{"topic": "t", "url": "{NOT_SET_URL}"}]}
                """)).contains("brokers[0] uses {NOT_SET_BROKER}, but the environment variable NOT_SET_BROKER is not set")
                .contains("topics[0].url uses {NOT_SET_URL}");
    }

    @Test
    void refusesWhatBerthCannotHonourInsteadOfIgnoringIt() {
        assertThat(problems("""
                {"brokers": ["b:9092"], "serialization": "./serde.js", "topics": [{"topic": "t", "url": "http://h/x"}]}
                """)).contains("serialization names a JavaScript module, which Berth cannot load");
        assertThat(problems("""
                {"brokers": ["b:9092"], "topics": []}
                """)).contains("topics is empty, and there is no requestResponse nor publish");
        assertThat(problems("[1, 2]")).contains("must be a kafka-hooks platformatic.json");
        assertThat(problems("{\"topics\": [")).contains("is not valid JSON");
    }

    @Test
    void secretsNeverReachTheProblems() {
        String message = problems("""
                {"brokers": ["b:9092"], "topics": [{"topic": "t", "url": "http://h/x",
                  "auth": {"oauth2": {"tokenUrl": "ftp://auth", "clientId": "berth", "clientSecret": "{ORDERS_CLIENT_SECRET}",
                                      "extra": 1}},
                  "headers": {"authorization": {"nested": "Bearer s3cr3t-token"}}}]}
                """);
        assertThat(message).contains("auth.oauth2.tokenUrl must be an absolute http(s) url")
                .contains("auth.oauth2.extra is not a known key").contains("headers.authorization must be a text value")
                .doesNotContain("s3cr3t");
    }
}
