package io.berth.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.berth.bridge.InvalidBridgeFile;
import io.berth.bridge.impl.BridgeFile;

/** The file's {@code httpOpen}: the endpoints are open only when the file says so. */
class HttpOpenKeyTest {

    static final Function<String, String> NO_ENV = name -> null;

    @Test
    void aKafkaHooksFileUsedUnchangedLeavesTheEndpointsClosed() {
        assertThat(BridgeFile.parse("{\"kafka\": {\"brokers\": [\"k:9092\"], \"topics\": [{\"topic\": \"orders\", "
                + "\"url\": \"http://sink/orders\"}]}}", "platformatic.json", false, NO_ENV).httpOpen())
                .isFalse();
        assertThat(new InboundAuth(false, "", false).refusesEveryone()).isTrue();
    }

    @Test
    void httpOpenTrueOpensThem() {
        assertThat(BridgeFile.parse("{\"publish\": [\"events\"], \"httpOpen\": true}", "bridge.json", false,
                NO_ENV).httpOpen()).isTrue();
    }

    @Test
    void httpOpenMustBeABoolean() {
        assertThatThrownBy(() -> BridgeFile.parse("{\"publish\": [\"events\"], \"httpOpen\": \"yes\"}", "bridge.json",
                false, NO_ENV)).isInstanceOf(InvalidBridgeFile.class).hasMessageContaining("httpOpen");
    }
}
