package io.berth.ops;

import java.time.Clock;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.berth.port.PortCallException;
import io.berth.port.TokenObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Hears of each fetch of Port's token: counts them ({@code berth_port_token_fetches_total{kind,result}},
 * kind {@code fetch} for the first, {@code refresh} after) and remembers how the last one went, which
 * {@link PortTokenReadiness} reports. A probe never fetches: the token is fetched by the Port calls
 * that need it and cached until shortly before it expires.
 */
@ApplicationScoped
final class PortTokenWatch implements TokenObserver {

    private final MeterRegistry registry;
    private final Clock clock;
    private volatile Last last;

    @Inject
    PortTokenWatch(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    PortTokenWatch(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void fetched(boolean renewal) {
        last = new Last(clock.instant(), null);
        count(renewal, "success");
    }

    @Override
    public void failed(boolean renewal, Throwable failure) {
        // The exception's class and Port's status only: never a message that could quote a body.
        String why = failure instanceof PortCallException port && port.status() != 0
                ? "Port answered " + port.status() : failure.getClass().getSimpleName();
        last = new Last(clock.instant(), why);
        count(renewal, "failure");
    }

    /** UP until a fetch fails; DOWN from then until one succeeds. */
    HealthCheckResponse readiness() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("berth-port-token").up();
        Last now = last;
        if (now == null) {
            return answer.withData("token", "not fetched yet: the first Port call fetches it").build();
        }
        if (now.failure() == null) {
            return answer.withData("token", "cached (fetched " + now.at() + ")").build();
        }
        return answer.down().withData("token", "the last fetch failed at " + now.at() + " (" + now.failure()
                + "): check PORT_CLIENT_ID, PORT_CLIENT_SECRET and PORT_API_BASE_URL").build();
    }

    private void count(boolean renewal, String result) {
        Counter.builder("berth.port.token.fetches")
                .description("Fetches of Port's access token: the first (fetch) and later ones (refresh)")
                .tag("kind", renewal ? "refresh" : "fetch")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    private record Last(Instant at, String failure) {
    }
}
