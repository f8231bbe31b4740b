package io.berth.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code berth-memory} in {@code /q/health/live}: DOWN once Berth has run out of memory. */
@Liveness
@ApplicationScoped
final class MemoryLiveness implements HealthCheck {

    private final OutOfMemoryWatch watch;

    @Inject
    MemoryLiveness(OutOfMemoryWatch watch) {
        this.watch = watch;
    }

    @Override
    public HealthCheckResponse call() {
        return watch.liveness();
    }
}
