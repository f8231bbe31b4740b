package io.berth.tracing;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Berth's {@link Tracing}, over Quarkus's OpenTelemetry: a no-op one unless the SDK is enabled
 * ({@code QUARKUS_OTEL_SDK_DISABLED=false}, see the README's "Tracing and logs").
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
}
