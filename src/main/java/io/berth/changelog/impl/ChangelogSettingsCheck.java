package io.berth.changelog.impl;

import java.util.ArrayList;
import java.util.List;

import io.berth.changelog.ChangelogSettings;
import io.berth.config.ConfigurationProblems;
import io.berth.config.StartupRefusals;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Stops start-up when the change log's settings cannot work; says which variable and how. */
@ApplicationScoped
final class ChangelogSettingsCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            ChangelogSettings settings) {
        List<String> problems = problems(settings);
        StartupRefusals.refuse(problems); // validate records them and goes on
    }

    static List<String> problems(ChangelogSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.concurrency() < 1) {
            problems.add("BERTH_CHANGELOG_CONCURRENCY must be at least 1, was " + settings.concurrency()
                    + ": set e.g. BERTH_CHANGELOG_CONCURRENCY=16");
        }
        if (settings.maxRecordBytes() < 1024) {
            problems.add("BERTH_CHANGELOG_MAX_RECORD_BYTES must be at least 1024, was " + settings.maxRecordBytes()
                    + ": set e.g. BERTH_CHANGELOG_MAX_RECORD_BYTES=1048576");
        }
        if (settings.shutdownGrace().isNegative()) {
            problems.add("BERTH_CHANGELOG_SHUTDOWN_GRACE must not be negative, was " + settings.shutdownGrace()
                    + ": set e.g. BERTH_CHANGELOG_SHUTDOWN_GRACE=20s");
        }
        if (settings.revocationDrain().isNegative()) {
            problems.add("BERTH_CHANGELOG_REVOCATION_DRAIN must not be negative, was " + settings.revocationDrain()
                    + ": set e.g. BERTH_CHANGELOG_REVOCATION_DRAIN=20s");
        }
        if (settings.handlerTimeout().isNegative() || settings.handlerTimeout().isZero()) {
            problems.add("BERTH_CHANGELOG_HANDLER_TIMEOUT must be longer than zero, was " + settings.handlerTimeout()
                    + ": set e.g. BERTH_CHANGELOG_HANDLER_TIMEOUT=5m");
        }
        problems.addAll(ConfigurationProblems.ofRetry("BERTH_CHANGELOG_RETRY_", settings.retry()));
        return problems;
    }
}
