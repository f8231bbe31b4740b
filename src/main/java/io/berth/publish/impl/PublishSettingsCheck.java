package io.berth.publish.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.berth.config.StartupRefusals;
import io.berth.publish.PublishSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Stops start-up when the publish actions' settings cannot work; says which variable and how. */
@ApplicationScoped
final class PublishSettingsCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, PublishSettings settings) {
        List<String> problems = problems(settings);
        StartupRefusals.refuse(problems); // validate records them and goes on
    }

    static List<String> problems(PublishSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.schemaRefresh().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("BERTH_PUBLISH_SCHEMA_REFRESH must be at least 1s, was " + settings.schemaRefresh()
                    + ", e.g. BERTH_PUBLISH_SCHEMA_REFRESH=5m");
        }
        if (settings.registryTimeout().isNegative() || settings.registryTimeout().isZero()) {
            problems.add("BERTH_PUBLISH_REGISTRY_TIMEOUT must be positive, was " + settings.registryTimeout()
                    + ", e.g. BERTH_PUBLISH_REGISTRY_TIMEOUT=10s");
        }
        return problems;
    }
}
