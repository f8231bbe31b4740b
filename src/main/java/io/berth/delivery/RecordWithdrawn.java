package io.berth.delivery;

/**
 * A record was withdrawn before its effects began: its partition went to another consumer, or Berth
 * is stopping. Not a fault: the dispatcher ends the record {@link RecordOutcome.Abandoned}, uncommitted,
 * so that its partition's next owner delivers it.
 */
public final class RecordWithdrawn extends RuntimeException {

    public RecordWithdrawn(InboundRecord record) {
        super(record + " withdrawn before it started", null, false, false);
    }
}
