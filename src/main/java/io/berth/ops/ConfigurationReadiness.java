package io.berth.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * {@code berth-configuration} in {@code /q/health/ready}: UP once every start-up check has passed
 * (the settings, the mapping, triggers and bridge files, the lag limits): each refuses to let Berth
 * start with a precise message, so a Berth that answers has a configuration that works.
 */
@Readiness
@ApplicationScoped
final class ConfigurationReadiness implements HealthCheck {

    private volatile boolean checked;

    /** After every other start-up observer: had one refused the configuration, start-up would have stopped. */
    void checked(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent event) {
        checked = true;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("berth-configuration").status(checked)
                .withData("checked", checked ? "valid: every start-up check passed" : "start-up checks still running")
                .build();
    }
}
