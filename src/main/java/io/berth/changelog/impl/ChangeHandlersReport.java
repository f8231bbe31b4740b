package io.berth.changelog.impl;

import java.util.List;

import io.berth.changelog.ChangeHandler;
import io.berth.changelog.ChangelogSettings;
import io.berth.command.CapabilityReport;
import io.berth.command.Served;
import io.berth.retry.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The Java change handlers and what each takes, for {@code list}, read as the change log's wiring
 * reads them (events no handler takes go to the mapping file's first enabled entry, listed with the actions).
 */
@ApplicationScoped
final class ChangeHandlersReport implements CapabilityReport {

    private final Instance<ChangeHandler> handlers;
    private final ChangelogSettings settings;

    @Inject
    ChangeHandlersReport(Instance<ChangeHandler> handlers, ChangelogSettings settings) {
        this.handlers = handlers;
        this.settings = settings;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public List<Served> served() {
        RetryPolicy retry = RetryPolicy.of(settings.retry());
        return handlers.stream().map(handler -> new HandlerRoute(handler, retry, settings.handlerTimeout()))
                .map(route -> new Served("change", route.selector().toString(), route.name())).toList();
    }
}
