package io.berth.delivery.impl;

import static io.berth.delivery.ControlCharacters.escape;

import org.jboss.logging.Logger;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import jakarta.inject.Singleton;

/**
 * Commits a record's offset once its outcome is safe: reported to Port, stored as a dead letter, or
 * deliberately skipped. An abandoned run is never acknowledged, so its record is redelivered.
 */
@Singleton // called for every record: see RecordOutcomeListener
public final class OffsetCommits implements RecordOutcomeListener {

    private static final Logger LOG = Logger.getLogger(OffsetCommits.class);

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        if (outcome.committable()) {
            record.ack();
        } else {
            LOG.infof("%s: not committed (%s): it will be redelivered", record, escape(outcome));
        }
    }
}
