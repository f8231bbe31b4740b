package io.berth.changelog;

import java.util.Optional;

/** What happened to the resource of a {@link ChangeEvent} (Port's {@code action}). */
public enum ChangeAction {
    CREATE,
    UPDATE,
    DELETE,
    /** An entity's timer property ran out: no diff, {@code trigger.by.byPort} true. */
    TIMER_EXPIRED;

    /** The action named {@code text} exactly as Port writes it, if it is one of these. */
    public static Optional<ChangeAction> of(String text) {
        for (ChangeAction action : values()) {
            if (action.name().equals(text)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
