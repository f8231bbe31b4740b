package io.berth.triggers.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.berth.command.CapabilityReport;
import io.berth.command.Check;
import io.berth.command.Served;
import io.berth.command.TopicUse;
import io.berth.config.BerthSettings;
import io.berth.config.ConfigurationProblems;
import io.berth.config.PortSettings;
import io.berth.triggers.InvalidTriggersFile;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerDefinition.Target;
import io.berth.triggers.TriggerHandler;
import io.berth.triggers.TriggerSettings;
import io.berth.webhook.Jq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The triggers file for {@code validate} and {@code list}: read as {@link TriggersWiring} reads it,
 * its handler targets resolved, its Port action targets' credentials checked; each trigger's topic
 * and dead-letter topic.
 */
@ApplicationScoped
final class TriggersReport implements CapabilityReport {

    private final TriggerSettings settings;
    private final BerthSettings berth;
    private final PortSettings port;
    private final Instance<TriggerHandler> handlers;

    @Inject
    TriggersReport(TriggerSettings settings, BerthSettings berth, PortSettings port, Instance<TriggerHandler> handlers) {
        this.settings = settings;
        this.berth = berth;
        this.port = port;
        this.handlers = handlers;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public List<Check> checks() {
        if (settings.path().isEmpty()) {
            return List.of();
        }
        List<TriggerDefinition> triggers;
        try {
            triggers = load().orElseThrow();
        } catch (InvalidTriggersFile e) {
            return List.of(Check.fail("triggers file", e.getMessage()));
        }
        List<Check> checks = new ArrayList<>();
        TriggerHandlers named = new TriggerHandlers(handlers);
        for (int i = 0; i < triggers.size(); i++) {
            if (triggers.get(i).target() instanceof Target.Handler handler) {
                try {
                    named.named(handler.name(), "entry #" + i + " (id '" + triggers.get(i).id() + "')");
                } catch (InvalidTriggersFile e) {
                    checks.add(Check.fail("triggers file", e.getMessage()));
                }
            }
        }
        ConfigurationProblems.forPortActions(port, triggers.stream().filter(t -> t.target() instanceof Target.PortAction)
                .map(TriggerDefinition::id).toList()).forEach(problem -> checks.add(Check.fail("triggers file", problem)));
        if (checks.isEmpty()) {
            checks.add(Check.ok("triggers file", settings.path().get() + ": " + triggers.size() + " trigger"
                    + (triggers.size() == 1 ? "" : "s")));
        }
        return checks;
    }

    @Override
    public List<TopicUse> topics() {
        List<TopicUse> topics = new ArrayList<>();
        loaded().forEach(trigger -> {
            topics.add(new TopicUse(trigger.topic(), trigger.brokers(), "consumed by trigger '" + trigger.id() + "'"));
            topics.add(new TopicUse(trigger.deadLetterTopic(), trigger.brokers(),
                    "dead letters of trigger '" + trigger.id() + "'"));
        });
        return topics;
    }

    @Override
    public List<Served> served() {
        return loaded().stream().map(trigger -> new Served("trigger", trigger.id(), "topic " + trigger.topic()
                + " (group " + trigger.consumerGroup() + ") -> " + trigger.target().describe())).toList();
    }

    private List<TriggerDefinition> loaded() {
        try {
            return load().orElse(List.of());
        } catch (InvalidTriggersFile e) {
            return List.of();
        }
    }

    private Optional<List<TriggerDefinition>> load() {
        return settings.path().map(path -> TriggersFile.load(Path.of(path),
                Jq.withSystemEnvironment(berth.mapping().envAllow())));
    }
}
