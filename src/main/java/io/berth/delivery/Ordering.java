package io.berth.delivery;

/**
 * Which records of one source wait for each other (Confluent Parallel Consumer's three orderings),
 * as lanes of {@link OrderedLanes}.
 */
public enum Ordering {
    /** One record in flight per key; records without a key: one at a time per partition. */
    KEY,
    /** One record in flight per partition. */
    PARTITION,
    /** Records run at once, in any order, up to the source's limits. */
    NONE;

    /** The lane {@code record} waits in, or null when it waits for nothing. */
    public String lane(InboundRecord record) {
        return switch (this) {
            case NONE -> null;
            case KEY -> record.key() != null ? "k:" + record.key() : "p:" + record.partition();
            case PARTITION -> "p:" + record.partition();
        };
    }
}
