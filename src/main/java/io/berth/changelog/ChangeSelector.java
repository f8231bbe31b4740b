package io.berth.changelog;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which change events a {@link ChangeHandler} takes: one resource type, some blueprints (none: any
 * blueprint) and some actions (none: every action).
 *
 * <pre>{@code
 * ChangeSelector.entities("service", ChangeAction.UPDATE, ChangeAction.DELETE)  // services updated or deleted
 * ChangeSelector.resources("run")                                              // every change of a run
 * }</pre>
 */
public record ChangeSelector(String resourceType, Set<String> blueprints, Set<ChangeAction> actions) {

    public ChangeSelector {
        Objects.requireNonNull(resourceType, "resourceType");
        blueprints = Set.copyOf(blueprints);
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    /** Entities of {@code blueprint} on {@code actions} (none given: every action). */
    public static ChangeSelector entities(String blueprint, ChangeAction... actions) {
        return new ChangeSelector("entity", Set.of(blueprint), Set.of(actions));
    }

    /** Every resource of {@code resourceType}, whatever its blueprint, on {@code actions} (none given: every action). */
    public static ChangeSelector resources(String resourceType, ChangeAction... actions) {
        return new ChangeSelector(resourceType, Set.of(), Set.of(actions));
    }

    public boolean matches(ChangeEvent event) {
        return resourceType.equals(event.resourceType())
                && (blueprints.isEmpty() || event.blueprint().filter(blueprints::contains).isPresent())
                && (actions.isEmpty() || actions.contains(event.action()));
    }

    @Override
    public String toString() {
        return resourceType + (blueprints.isEmpty() ? "" : " " + blueprints)
                + (actions.isEmpty() ? " (every action)" : " " + actions);
    }
}
