package io.berth.command;

import java.util.Comparator;
import java.util.List;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** {@code list}: what Berth would serve (actions, change handlers, triggers, bridge), and what handles each. */
@ApplicationScoped
@Unremovable // looked up by BerthMain only
public class ListCommand {

    private final Instance<CapabilityReport> reports;

    @Inject
    ListCommand(Instance<CapabilityReport> reports) {
        this.reports = reports;
    }

    public List<Served> run() {
        return reports.stream().sorted(Comparator.comparingInt(CapabilityReport::order))
                .flatMap(report -> report.served().stream()).toList();
    }
}
