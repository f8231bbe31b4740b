package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.berth.port.PortCallException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** berth-port-token says how the last fetch of Port's token went, and the fetches are counted. */
class PortTokenWatchTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PortTokenWatch watch = new PortTokenWatch(registry,
            Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void isUpBeforeTheFirstFetchAndWhileTheLastOneSucceeded() {
        assertThat(watch.readiness().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(watch.readiness().getData().orElseThrow().get("token")).asString().startsWith("not fetched yet");

        watch.fetched(false);

        assertThat(watch.readiness().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(watch.readiness().getData().orElseThrow().get("token")).asString().startsWith("cached");
    }

    @Test
    void isDownFromAFailedFetchUntilTheNextSucceedsNamingPortsStatusOnly() {
        watch.fetched(false);
        watch.failed(true, new PortCallException("POST access token (check PORT_CLIENT_ID and PORT_CLIENT_SECRET)",
                401, null));

        HealthCheckResponse down = watch.readiness();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow().get("token")).asString().contains("Port answered 401");

        watch.fetched(true);
        assertThat(watch.readiness().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(registry.get("berth.port.token.fetches").tag("kind", "fetch").tag("result", "success").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("berth.port.token.fetches").tag("kind", "refresh").tag("result", "failure").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("berth.port.token.fetches").tag("kind", "refresh").tag("result", "success").counter()
                .count()).isEqualTo(1);
    }
}
