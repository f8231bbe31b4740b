package io.berth.changelog.impl;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.berth.changelog.ChangeHandler;
import io.berth.changelog.ChangelogSettings;
import io.berth.retry.RetryPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * Reads every Java change handler's selector at start-up, so that a handler whose selector cannot
 * be read stops start-up instead of the first event, and says what each one takes.
 */
@ApplicationScoped
final class ChangeHandlersCheck {

    private static final Logger LOG = Logger.getLogger(ChangeHandlersCheck.class);

    void onStart(@Observes StartupEvent event, Instance<ChangeHandler> handlers, ChangelogSettings settings) {
        RetryPolicy retry = RetryPolicy.of(settings.retry());
        Duration timeout = settings.handlerTimeout();
        handlers.stream().map(handler -> new HandlerRoute(handler, retry, timeout))
                .forEach(route -> LOG.infof("Change log: %s takes %s", route.name(), route.selector()));
    }
}
