package io.berth.runs.impl;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.config.BerthSettings;
import io.berth.config.PortSettings;
import io.berth.config.Secret;
import io.berth.handlers.JavaHandlers;
import io.berth.handlers.RunResult;
import io.berth.handlers.RunRoute;
import io.berth.port.PortClient;
import io.berth.runs.DeadLetters;
import io.berth.runs.RecordOutcomeListener;
import io.berth.runs.RunContext;
import io.berth.runs.RunDispatcher;
import io.berth.webhook.WebhookInvoker;
import io.berth.webhook.WebhookRoute;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/**
 * Builds the run pipeline: the one place that decides which parts it is made of.
 *
 * <p>Routing order: a Java handler declaring the action wins; otherwise the first matching entry of
 * port-agent's mapping file; otherwise nobody (the run is another executor's).
 */
@ApplicationScoped
final class RunsWiring {

    @Produces
    @ApplicationScoped
    RunDispatcher runDispatcher(BerthSettings berth, PortSettings portSettings, ObjectMapper mapper,
            JavaHandlers javaHandlers, WebhookInvoker webhooks, PortClient port, DeadLetters deadLetters,
            AssignmentWatermarks watermarks, Instance<RecordOutcomeListener> listeners) {
        BerthSettings.Runs runs = berth.runs();
        RunMessageParser parser = new RunMessageParser(mapper, portSettings.clientSecret().orElse(Secret.of("")),
                runs.maxRecordBytes());
        RunRouter router = run -> javaHandlers.route(run.action())
                .or(() -> webhooks.route(run.message()).map(route -> (RunRoute) new MappingRoute(webhooks, route)));
        return new RunDispatcherImpl(parser, router, port, deadLetters, watermarks, listeners.stream().toList(),
                runs.concurrency(), runs.recentRunsMemory(), runs.shutdownGrace(), maxInFlightBytes(runs));
    }

    /**
     * {@code BERTH_RUNS_MAX_IN_FLIGHT_BYTES}, or a share of the heap: a parsed record takes a few
     * times its size, and the connector's queue and the webhook bodies need room too.
     */
    static long maxInFlightBytes(BerthSettings.Runs runs) {
        return runs.maxInFlightBytes()
                .orElse(Runtime.getRuntime().maxMemory() / BerthSettings.Runs.DEFAULT_IN_FLIGHT_HEAP_SHARE);
    }

    /** A mapping-file entry as a route. */
    private record MappingRoute(WebhookInvoker invoker, WebhookRoute route) implements RunRoute {
        @Override
        public String name() {
            return "mapping#" + route.mappingIndex();
        }

        @Override
        public Uni<RunResult> run(RunContext run) {
            return invoker.invoke(route, run);
        }
    }
}
