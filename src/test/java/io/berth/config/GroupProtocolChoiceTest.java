package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;

/** {@code BERTH_KAFKA_GROUP_PROTOCOL}: KIP-848's protocol where the brokers have it, classic otherwise. */
class GroupProtocolChoiceTest {

    @Test
    void autoChoosesTheConsumerProtocolOnAKafka4BrokerWithGroupVersion1() {
        Map<String, Object> broker = Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers());

        assertThat(GroupProtocolChoice.resolve(GroupProtocol.AUTO, broker, false)).isEqualTo("consumer");
    }

    @Test
    void autoFallsBackToTheClassicProtocolWhenTheBrokersCannotSay() {
        Map<String, Object> nobody = Map.of("bootstrap.servers", "127.0.0.1:1");

        assertThat(GroupProtocolChoice.resolve(GroupProtocol.AUTO, nobody, Duration.ofSeconds(2))).isEqualTo("classic");
    }

    @Test
    void anExplicitChoiceAsksNobody() {
        Map<String, Object> nobody = Map.of("bootstrap.servers", "127.0.0.1:1");

        assertThat(GroupProtocolChoice.resolve(GroupProtocol.CLASSIC, nobody, false)).isEqualTo("classic");
        assertThat(GroupProtocolChoice.resolve(GroupProtocol.CONSUMER, nobody, false)).isEqualTo("consumer");
    }

    @Test
    void autoKeepsTheClassicProtocolWhenPortAgentsSessionTimeoutIsSetSinceOnlyClassicHonoursIt() {
        Map<String, Object> broker = Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers());

        assertThat(GroupProtocolChoice.resolve(GroupProtocol.AUTO, broker, true)).isEqualTo("classic");
    }

    @Test
    void aBrokerWithoutGroupVersionOrAtLevel0KeepsTheClassicProtocol() {
        assertThat(GroupProtocolChoice.supportsConsumerProtocol(null)).isFalse();
        assertThat(GroupProtocolChoice.supportsConsumerProtocol(new FinalizedVersionRange((short) 0, (short) 0))).isFalse();
        assertThat(GroupProtocolChoice.supportsConsumerProtocol(new FinalizedVersionRange((short) 1, (short) 1))).isTrue();
    }
}
