package io.berth.polling.impl;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.berth.config.Streamer;
import io.berth.polling.RunPoller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * With {@code STREAMER_NAME=POLLING}: ready once a claim has answered; DOWN again once claims failed
 * for longer than {@code POLLING_MAX_FAILURE_DURATION_SECONDS} (Berth then exits) or on shutdown.
 * Claims failing for a shorter while keep it UP, with {@code failingSince} in the data. With the Kafka
 * streamer there is nothing to wait for here.
 */
@Readiness
@ApplicationScoped
final class PollingReadiness implements HealthCheck {

    private final PollingWiring wiring;

    @Inject
    PollingReadiness(PollingWiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("berth-runs-poller")
                .withData("streamer", wiring.streamer().name());
        if (wiring.streamer() != Streamer.POLLING) {
            return response.up().build();
        }
        return wiring.poller().map(poller -> {
            response.status(poller.state() == RunPoller.State.POLLING)
                    .withData("state", poller.state().name())
                    .withData("inFlight", poller.inFlight());
            poller.failingSince().ifPresent(since -> response.withData("failingSince", since.toString()));
            return response.build();
        }).orElseGet(() -> response.down().withData("state", RunPoller.State.STARTING.name()).build());
    }
}
