package io.berth.changelog.impl;

import java.util.Objects;

import io.berth.changelog.ChangeEvent;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.berth.webhook.WebhookInvoker;
import io.berth.webhook.WebhookRoute;
import io.smallrye.mutiny.Uni;

/**
 * The first entry of port-agent's mapping file enabled for the event: its webhook (default url
 * {@code changelogDestination.url}), retried under {@code BERTH_WEBHOOK_RETRY_*} by the sender.
 */
final class MappingRoute implements ChangeRoute {

    private final WebhookInvoker invoker;
    private final WebhookRoute route;

    MappingRoute(WebhookInvoker invoker, WebhookRoute route) {
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.route = Objects.requireNonNull(route, "route");
    }

    @Override
    public String name() {
        return "mapping#" + route.mappingIndex();
    }

    /** port-agent reports nothing for an event without a run; Berth wants a 2xx, or dead-letters the event. */
    @Override
    public Uni<Void> deliver(ChangeEvent event) {
        return invoker.send(route, event.message(), event.id())
                .onItem().transform(response -> {
                    if (!response.ok()) {
                        throw new IllegalStateException("the webhook answered " + response.statusCode() + " after "
                                + response.attempts() + (response.attempts() == 1 ? " attempt" : " attempts"));
                    }
                    return response;
                })
                .replaceWithVoid();
    }

    /** As for a run: logs, the synchronized answer, the report's status, link and external id. */
    @Override
    public Uni<RunResult> run(ChangeEvent event, RunContext run) {
        return invoker.invoke(route, run);
    }
}
