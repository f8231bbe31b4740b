package io.berth.bridge.impl;

import static io.berth.delivery.ControlCharacters.escape;

import org.jboss.logging.Logger;

import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.smallrye.mutiny.Uni;

/**
 * A subscription with {@code "dlq": false}: kafka-hooks logs a record it could not deliver and goes
 * on; so does Berth, at ERROR with the record's coordinates and the reason, and commits it.
 */
final class DroppedDeadLetters implements DeadLetters {

    private static final Logger LOG = Logger.getLogger(DroppedDeadLetters.class);

    @Override
    public Uni<Void> send(InboundRecord record, String reason) {
        LOG.errorf("%s: not delivered and dropped (the subscription has \"dlq\": false): %s", record, escape(reason));
        return Uni.createFrom().voidItem();
    }
}
