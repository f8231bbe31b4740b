package io.berth.port.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** Calls to Port that got no answer are timed in berth_port_requests_seconds, with a bounded status. */
class PortCallMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aCallThatTimedOutIsTimedWithStatusTimeoutAndItsRouteTemplate() {
        PortApi api = new PortCallMetrics(registry).countingNoAnswers(failingWith(new TimeoutException("read timed out")));

        assertThatThrownBy(() -> api.addRunLog("Bearer t", "r_secret123", null).await().atMost(Duration.ofSeconds(5)))
                .hasCauseInstanceOf(TimeoutException.class);

        Timer timer = registry.find("berth.port.requests").tags("method", "POST",
                "route", "/v1/actions/runs/{runId}/logs", "status", "timeout").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags().toString())
                .doesNotContain("r_secret123"));
    }

    @Test
    void aCallWhoseConnectionFailedIsTimedWithStatusNone() {
        PortApi api = new PortCallMetrics(registry).countingNoAnswers(failingWith(new ConnectException("refused")));

        assertThatThrownBy(() -> api.getRun("Bearer t", "r_1").await().atMost(Duration.ofSeconds(5)));

        assertThat(registry.find("berth.port.requests").tags("method", "GET", "route", "/v1/actions/runs/{runId}",
                "status", "none").timer()).isNotNull().extracting(Timer::count).isEqualTo(1L);
    }

    @Test
    void nothingIsTimedBeforeTheCallIsSubscribed() {
        PortApi api = new PortCallMetrics(registry).countingNoAnswers(failingWith(new ConnectException("refused")));

        api.getRun("Bearer t", "r_1");

        assertThat(registry.find("berth.port.requests").timers()).isEmpty();
    }

    /** A client every call of which fails without an answer, as the REST client does when nobody answers. */
    static PortApi failingWith(Exception failure) {
        return (PortApi) Proxy.newProxyInstance(PortApi.class.getClassLoader(), new Class<?>[] {PortApi.class},
                (proxy, method, args) -> Uni.createFrom().failure(failure));
    }
}
