package io.berth.delivery;

/**
 * A {@link RecordHandler}'s verdict that a record can never be delivered, whatever is retried: the
 * record goes to the dead-letter topic with {@link #getMessage()} as its reason, then is committed.
 *
 * <p>The reason reaches a log line, a metric-free header and the console: it must not quote the
 * record (which may hold secrets) beyond identifiers, and must say what is wrong and where.
 */
public final class UnusableRecord extends RuntimeException {

    public UnusableRecord(String reason) {
        // No stack trace: this is a verdict on input, not a fault in Berth.
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
