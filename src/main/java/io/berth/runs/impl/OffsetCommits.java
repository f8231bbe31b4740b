package io.berth.runs.impl;

import static io.berth.runs.ControlCharacters.escape;

import org.jboss.logging.Logger;

import io.berth.runs.InboundRecord;
import io.berth.runs.RecordOutcome;
import io.berth.runs.RecordOutcomeListener;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Commits a record's offset once its outcome is safe: reported to Port, stored as a dead letter, or
 * deliberately skipped. An abandoned run is never acknowledged, so its record is redelivered.
 */
@ApplicationScoped
final class OffsetCommits implements RecordOutcomeListener {

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
