package io.berth.triggers.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.triggers.InvalidTriggersFile;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerDefinition.Ordering;
import io.berth.triggers.TriggerDefinition.Target;
import io.berth.webhook.Jq;

class TriggersFileTest {

    private static final Jq JQ = new Jq(Map.of());

    static List<TriggerDefinition> json(String content) {
        return TriggersFile.parse(content, "triggers.json", false, JQ);
    }

    static List<TriggerDefinition> yaml(String content) {
        return TriggersFile.parse(content, "triggers.yaml", true, JQ);
    }

    @Test
    void readsOperionsBasicTriggerWithBerthsDefaults() {
        TriggerDefinition trigger = json("""
                [{"id": "user-events-trigger", "type": "kafka", "configuration": {"topic": "user-events"},
                  "target": {"handler": "audit"}}]""").get(0);

        assertThat(trigger.consumerGroup()).isEqualTo("berth-triggers-user-events-trigger");
        assertThat(trigger.brokers()).isEmpty();
        assertThat(trigger.fromBeginning()).isFalse();
        assertThat(trigger.ordering()).isEqualTo(Ordering.KEY);
        assertThat(trigger.maxInFlight()).isEqualTo(TriggersFile.DEFAULT_MAX_IN_FLIGHT);
        assertThat(trigger.deadLetterTopic()).isEqualTo("user-events.dlq");
        assertThat(trigger.target()).isEqualTo(new Target.Handler("audit"));
    }

    @Test
    void readsAYamlObjectWhoseTriggersIsTheList() {
        List<TriggerDefinition> triggers = yaml("""
                triggers:
                  - id: orders
                    type: kafka
                    configuration:
                      topic: orders
                      consumer_group: operion-order-processor
                      brokers: kafka1:9092,kafka2:9092
                      from_beginning: true
                      session_timeout_ms: 10000
                      heartbeat_interval_ms: 3000
                      max_in_flight: 4
                      ordering: partition
                      dlq: orders.failed
                    target:
                      port_action:
                        action: deploy_service
                        entity: .key
                        properties: {service: .message.service, version: .message.version}
                  - id: audit
                    type: kafka
                    configuration: {topic: audit}
                    target:
                      webhook: {url: "https://hooks.example.com/audit?token=t", method: put, headers: {X-Team: ops}}
                """);

        TriggerDefinition orders = triggers.get(0);
        assertThat(orders.consumerGroup()).isEqualTo("operion-order-processor");
        assertThat(orders.brokers()).contains("kafka1:9092,kafka2:9092");
        assertThat(orders.fromBeginning()).isTrue();
        assertThat(orders.sessionTimeoutMs()).hasValue(10000);
        assertThat(orders.heartbeatIntervalMs()).hasValue(3000);
        assertThat(orders.maxInFlight()).isEqualTo(4);
        assertThat(orders.ordering()).isEqualTo(Ordering.PARTITION);
        assertThat(orders.deadLetterTopic()).isEqualTo("orders.failed");
        Target.PortAction action = (Target.PortAction) orders.target();
        assertThat(action.action()).isEqualTo("deploy_service");
        assertThat(action.entity()).hasValueSatisfying(jq -> assertThat(jq.asText()).isEqualTo(".key"));
        Target.Webhook webhook = (Target.Webhook) triggers.get(1).target();
        assertThat(webhook.method()).isEqualTo("PUT");
        assertThat(webhook.headers()).containsEntry("X-Team", "ops");
        assertThat(webhook.describe()).isEqualTo("webhook PUT https://hooks.example.com/audit").doesNotContain("token");
    }

    @Test
    void refusesABadFileNamingEveryEntryAndFieldWithTheFix() {
        assertThatThrownBy(() -> json("""
                [{"id": "ok", "type": "kafka", "configuration": {"topic": "a"}, "target": {"handler": "h"}},
                 {"id": "orders", "type": "kafka", "configuration": {"topik": "orders", "max_in_flight": 0},
                  "target": {"handler": "h"}},
                 {"id": "hooks", "type": "rabbitmq", "configuration": {"topic": "b", "ordering": "random"},
                  "target": {"webhook": {"url": "not a url"}}},
                 {"type": "kafka", "configuration": {"topic": "c"},
                  "target": {"port_action": {"action": "deploy", "properties": {"v": ".message | ("}}}},
                 {"id": "ok", "type": "kafka", "configuration": {"topic": "d"}, "target": {"handler": "h", "webhook": {}}}]
                """))
                .isInstanceOf(InvalidTriggersFile.class)
                .hasMessageContaining("Triggers file triggers.json cannot be used")
                .hasMessageContaining("entry #1 (id 'orders'): configuration.topik is not a known key: use one of [")
                .hasMessageContaining("entry #1 (id 'orders'): configuration.topic is missing: set it to the topic")
                .hasMessageContaining("entry #1 (id 'orders'): configuration.max_in_flight must be a whole number of at least 1, was 0")
                .hasMessageContaining("entry #2 (id 'hooks'): type must be \"kafka\"")
                .hasMessageContaining("entry #2 (id 'hooks'): configuration.ordering must be key")
                .hasMessageContaining("entry #2 (id 'hooks'): target.webhook.url must be an absolute http(s) url")
                .hasMessageContaining("entry #3: id is missing")
                .hasMessageContaining("entry #3: target.port_action.properties.v jq does not compile")
                .hasMessageContaining("entry #4 (id 'ok'): target must be an object with exactly one of handler");
    }

    @Test
    void refusesDuplicateIds() {
        assertThatThrownBy(() -> json("""
                [{"id": "a", "type": "kafka", "configuration": {"topic": "x"}, "target": {"handler": "h"}},
                 {"id": "a", "type": "kafka", "configuration": {"topic": "y"}, "target": {"handler": "h"}}]"""))
                .hasMessageContaining("entry #1 (id 'a'): id 'a' is used by an earlier entry");
    }

    @Test
    void refusesSomethingOtherThanAList() {
        assertThatThrownBy(() -> json("{\"id\": \"a\"}"))
                .hasMessageContaining("must hold a list of triggers, or an object whose only key is \"triggers\"");
        assertThatThrownBy(() -> yaml("triggers: [\n  - id: a\n"))
                .hasMessageContaining("is not valid YAML");
    }
}
