package io.berth.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code berth-port-token} in {@code /q/health/ready}: whether Port's token could be had ({@link PortTokenWatch}). */
@Readiness
@ApplicationScoped
final class PortTokenReadiness implements HealthCheck {

    private final PortTokenWatch watch;

    @Inject
    PortTokenReadiness(PortTokenWatch watch) {
        this.watch = watch;
    }

    @Override
    public HealthCheckResponse call() {
        return watch.readiness();
    }
}
