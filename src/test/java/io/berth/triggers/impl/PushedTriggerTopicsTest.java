package io.berth.triggers.impl;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;

/** With records pushed, a record names only its topic: triggers must not share one. */
class PushedTriggerTopicsTest {

    @Test
    void twoTriggersReadingOneTopicStopStartUpNamingBothAndTheFix() {
        var triggers = TriggersFileTest.yaml("""
                triggers:
                  - {id: audit, type: kafka, configuration: {topic: orders}, target: {handler: audit}}
                  - {id: notify, type: kafka, configuration: {topic: orders, consumer_group: other}, target: {handler: notify}}
                """);

        assertThatThrownBy(() -> TriggersWiring.refuseSharedTopics(triggers))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("BERTH_TRIGGERS_PATH: triggers 'audit' and 'notify' both read topic 'orders'")
                .hasMessageContaining("BERTH_CLOUDEVENTS_ENABLED=true")
                .hasMessageContaining("give each trigger a topic of its own");
    }

    @Test
    void triggersOnTopicsOfTheirOwnArePushable() {
        var triggers = TriggersFileTest.yaml("""
                triggers:
                  - {id: audit, type: kafka, configuration: {topic: orders}, target: {handler: audit}}
                  - {id: notify, type: kafka, configuration: {topic: payments}, target: {handler: notify}}
                """);

        assertThatCode(() -> TriggersWiring.refuseSharedTopics(triggers)).doesNotThrowAnyException();
    }
}
