package io.berth.changelog.impl;

import java.util.List;
import java.util.Objects;

import io.berth.changelog.ChangeEvent;
import io.berth.webhook.WebhookInvoker;

/**
 * Chooses where a change event goes: every Java handler whose selector matches it, in the order
 * they were found; when none does, the first mapping-file entry enabled for the whole event (as for
 * runs); when none is, nowhere (another agent's event).
 */
final class ChangeRouter {

    private final List<HandlerRoute> handlers;
    private final WebhookInvoker webhooks;

    ChangeRouter(List<HandlerRoute> handlers, WebhookInvoker webhooks) {
        this.handlers = List.copyOf(handlers);
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    }

    List<ChangeRoute> route(ChangeEvent event) {
        List<ChangeRoute> selected = handlers.stream().filter(route -> route.selector().matches(event))
                .map(ChangeRoute.class::cast).toList();
        if (!selected.isEmpty()) {
            return selected;
        }
        return webhooks.route(event.message()).<List<ChangeRoute>>map(route -> List.of(new MappingRoute(webhooks, route)))
                .orElse(List.of());
    }
}
