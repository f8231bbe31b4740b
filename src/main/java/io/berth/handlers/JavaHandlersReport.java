package io.berth.handlers;

import java.util.ArrayList;
import java.util.List;

import io.berth.command.CapabilityReport;
import io.berth.command.Served;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The actions Java handlers serve, and the handlers not offered with their reasons, for {@code list}. */
@ApplicationScoped
final class JavaHandlersReport implements CapabilityReport {

    private final JavaHandlers handlers;

    @Inject
    JavaHandlersReport(JavaHandlers handlers) {
        this.handlers = handlers;
    }

    @Override
    public int order() {
        return 5;
    }

    @Override
    public List<Served> served() {
        List<Served> served = new ArrayList<>();
        handlers.actions().forEach((action, handler) -> served.add(new Served("action", action, handler)));
        handlers.inactive().forEach((handler, reason) -> served.add(new Served("action", "(not offered)",
                handler + ": " + reason)));
        return served;
    }
}
