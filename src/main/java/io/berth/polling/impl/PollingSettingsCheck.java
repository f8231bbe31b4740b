package io.berth.polling.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.berth.config.StartupRefusals;
import io.berth.polling.PollingSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Stops start-up when a {@code POLLING_*} setting cannot work; says which variable and how. */
@ApplicationScoped
final class PollingSettingsCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, PollingSettings settings) {
        List<String> problems = problems(settings);
        StartupRefusals.refuse(problems); // validate records them and goes on
    }

    static List<String> problems(PollingSettings settings) {
        List<String> problems = new ArrayList<>();
        positive("POLLING_INTERVAL_SECONDS", settings.intervalSeconds(), "10", problems);
        if (settings.runsBatchSize() < 1) {
            problems.add("POLLING_RUNS_BATCH_SIZE must be at least 1, was " + settings.runsBatchSize()
                    + ": set e.g. POLLING_RUNS_BATCH_SIZE=100");
        }
        positive("POLLING_INITIAL_BACKOFF_SECONDS", settings.initialBackoffSeconds(), "1", problems);
        if (settings.maxBackoffSeconds().compareTo(settings.initialBackoffSeconds()) < 0) {
            problems.add("POLLING_MAX_BACKOFF_SECONDS (" + seconds(settings.maxBackoffSeconds())
                    + ") must not be shorter than POLLING_INITIAL_BACKOFF_SECONDS ("
                    + seconds(settings.initialBackoffSeconds()) + "): set e.g. POLLING_MAX_BACKOFF_SECONDS=300");
        }
        if (!(settings.backoffFactor() >= 1)) {
            problems.add("POLLING_BACKOFF_FACTOR must be at least 1 (1 keeps the pause constant), was "
                    + settings.backoffFactor() + ": set e.g. POLLING_BACKOFF_FACTOR=2.0");
        }
        if (!(settings.backoffJitterFactor() >= 0 && settings.backoffJitterFactor() <= 1)) {
            problems.add("POLLING_BACKOFF_JITTER_FACTOR (or POLLING_JITTER_FACTOR) must be from 0 to 1, was "
                    + settings.backoffJitterFactor() + ": set e.g. POLLING_BACKOFF_JITTER_FACTOR=0.1");
        }
        positive("POLLING_MAX_FAILURE_DURATION_SECONDS", settings.maxFailureDurationSeconds(), "3600", problems);
        return problems;
    }

    private static void positive(String variable, Duration value, String example, List<String> problems) {
        if (value.isNegative() || value.isZero()) {
            problems.add(variable + " must be longer than zero, was " + seconds(value) + ": set e.g. " + variable + "="
                    + example);
        }
    }

    private static String seconds(Duration value) {
        return value.toMillis() / 1000.0 + " s";
    }
}
