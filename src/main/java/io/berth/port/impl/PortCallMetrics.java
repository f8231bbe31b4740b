package io.berth.port.impl;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * Times each call to Port's API ({@code berth_port_requests_seconds{method,route,status}}). The
 * route is the client method's path template ({@code /v1/actions/runs/{runId}}), never the path
 * itself, so run ids never reach a label.
 */
final class PortCallMetrics implements ClientRequestFilter, ClientResponseFilter {

    /** Set by the REST client on every request of a declarative client: the method's path template. */
    static final String PATH_TEMPLATE = "UrlPathTemplate";
    private static final String STARTED = PortCallMetrics.class.getName() + ".started";

    private final MeterRegistry registry;

    PortCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(ClientRequestContext request) throws IOException {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        Object started = request.getProperty(STARTED);
        if (!(started instanceof Long nanos)) {
            return;
        }
        Object template = request.getProperty(PATH_TEMPLATE);
        Timer.builder("berth.port.requests")
                .description("Calls to Port's API, by route template and answer status")
                .tag("method", request.getMethod())
                .tag("route", template instanceof String route ? route : "other")
                .tag("status", Integer.toString(response.getStatus()))
                .register(registry)
                .record(System.nanoTime() - nanos, TimeUnit.NANOSECONDS);
    }
}
