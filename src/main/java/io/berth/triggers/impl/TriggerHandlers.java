package io.berth.triggers.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.berth.triggers.InvalidTriggersFile;
import io.berth.triggers.TriggerHandler;
import io.quarkus.arc.ClientProxy;

/**
 * The {@link TriggerHandler} beans by name, as SmallRye selects a strategy by identifier: a name that
 * no bean answers to and a name that several answer to are distinct start-up errors.
 */
final class TriggerHandlers {

    private final Map<String, List<TriggerHandler>> byName = new TreeMap<>();

    TriggerHandlers(Iterable<TriggerHandler> beans) {
        for (TriggerHandler bean : beans) {
            byName.computeIfAbsent(bean.name(), name -> new ArrayList<>()).add(bean);
        }
    }

    /** @param where names the entry in the message, e.g. {@code entry #0 (id 'orders')} */
    TriggerHandler named(String name, String where) {
        List<TriggerHandler> candidates = byName.getOrDefault(name, List.of());
        if (candidates.isEmpty()) {
            throw new InvalidTriggersFile("Triggers file, " + where + ": target.handler '" + name
                    + "' is the name of no TriggerHandler bean (known: " + byName.keySet() + "): fix the name, or "
                    + "add an @ApplicationScoped bean implementing io.berth.triggers.TriggerHandler whose name() is '"
                    + name + "'");
        }
        if (candidates.size() > 1) {
            throw new InvalidTriggersFile("Triggers file, " + where + ": target.handler '" + name
                    + "' is ambiguous: " + candidates.stream().map(TriggerHandlers::className).toList()
                    + " all answer to it: give each TriggerHandler a distinct name()");
        }
        return candidates.get(0);
    }

    private static String className(TriggerHandler bean) {
        return ClientProxy.unwrap(bean).getClass().getName();
    }
}
