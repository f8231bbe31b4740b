package io.berth.tracing;

import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Berth's {@link Tracing}, over Quarkus's OpenTelemetry: a no-op one unless the SDK is enabled
 * ({@code QUARKUS_OTEL_SDK_DISABLED=false}, see the README's "Tracing and logs").
 */
final class TracingWiring {

    @Produces
    @Singleton
    Tracing tracing(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry);
    }
}
