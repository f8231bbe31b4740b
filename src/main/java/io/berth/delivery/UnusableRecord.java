package io.berth.delivery;

/**
 * A {@link RecordHandler}'s verdict that a record can never be delivered, whatever is retried: the
 * record goes to the dead-letter topic with {@link #getMessage()} as its reason, then is committed.
 *
 * <p>The reason reaches a log line, a metric-free header and the console: it must not quote the
 * record (which may hold secrets) beyond identifiers, and must say what is wrong and where.
 */
public final class UnusableRecord extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Object detail;

    public UnusableRecord(String reason) {
        this(reason, null);
    }

    /**
     * @param detail what the capability's {@link DeadLetterFormat} writes into the dead letter (the
     *        bridge's attempts and their answers), or null; like the reason, never a secret
     */
    public UnusableRecord(String reason, Object detail) {
        // No stack trace: this is a verdict on input, not a fault in Berth.
        super(reason, null, false, false);
        this.detail = detail;
    }

    public String reason() {
        return getMessage();
    }

    /** The capability's detail for its dead-letter format, or null. */
    public Object detail() {
        return detail;
    }
}
