package io.berth.delivery;

import io.smallrye.mutiny.Uni;

/**
 * Where records that no executor can use go, with the reason, so that nothing is lost silently.
 * The record's offset is committed only once the dead-letter record is stored.
 */
public interface DeadLetters {

    /**
     * Stores {@code record} on the dead-letter topic with headers {@code dead-letter-reason},
     * {@code dead-letter-topic}, {@code dead-letter-partition}, {@code dead-letter-offset} (and
     * {@code dead-letter-value-omitted} with the value's size when the value is too large to keep).
     * {@code reason} must not contain a secret.
     */
    Uni<Void> send(InboundRecord record, String reason);

    /**
     * The same, with the capability's {@code detail} ({@link UnusableRecord#detail()}) for a
     * {@link DeadLetterFormat} that writes it; formats that have no use for it ignore it.
     */
    default Uni<Void> send(InboundRecord record, String reason, Object detail) {
        return send(record, reason);
    }
}
