package io.berth.tracing;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.client.exemplars.ExemplarSampler;
import io.quarkus.micrometer.runtime.export.exemplars.OpentelemetryExemplarSamplerProvider;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Berth's {@link Tracing}, over Quarkus's OpenTelemetry: a no-op one unless the SDK is enabled
 * ({@code QUARKUS_OTEL_SDK_DISABLED=false}, see the README's "Tracing and logs"). Prometheus
 * exemplars follow that one decision.
 */
final class TracingWiring {

    /**
     * With the SDK disabled, Quarkus's OpenTelemetry is still an SDK without exporters: every span of
     * every record (the record's, its handler's, each Port and webhook call's) was built, with ids,
     * attributes and clocks, and thrown away. Off is decided here, once, for every capability.
     */
    @Produces
    @Singleton
    Tracing tracing(OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean disabled) {
        return disabled ? Tracing.off() : new Tracing(openTelemetry);
    }

    /**
     * The Prometheus registry's exemplar sampler (a trace id beside a counter's or histogram's value):
     * Quarkus's, only when there are traces to point at. Quarkus installs it whenever OpenTelemetry is
     * on the class path, and it asks for the current OpenTelemetry context at every counter increment
     * and timer record; on a Vert.x event loop with no context of its own, that lookup makes a new
     * duplicated Vert.x context and its map each time. With the SDK disabled no span is ever current,
     * so each of those was built for an exemplar that could not exist: 3 % of a bridge record's
     * allocation and 2 % of its CPU in the 2026-12-02 profile.
     */
    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Optional<ExemplarSampler> exemplars(Tracing tracing) {
        return tracing == Tracing.off() ? Optional.empty() : new OpentelemetryExemplarSamplerProvider().exemplarSampler();
    }
}
