package io.berth.webhook;

import java.util.Objects;

/**
 * The mapping that claimed a message: obtained from {@link WebhookInvoker#route}, handed back to
 * {@link WebhookInvoker#invoke} or {@link WebhookInvoker#send}.
 */
public final class WebhookRoute {

    private final Mapping mapping;

    WebhookRoute(Mapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    Mapping mapping() {
        return mapping;
    }

    /** The mapping's 0-based position in the mapping file. */
    public int mappingIndex() {
        return mapping.index();
    }

    @Override
    public String toString() {
        return "mapping [" + mapping.index() + "]";
    }
}
