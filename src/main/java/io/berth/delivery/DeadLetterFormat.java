package io.berth.delivery;

/**
 * The value of a dead letter. By default ({@link #ORIGINAL}) it is the record's own value, and the
 * reason travels in headers only; a capability whose users have tooling for another shape (the
 * bridge: kafka-hooks' JSON) supplies its own. The headers ({@code dead-letter-reason}, original
 * topic, partition, offset) and the key are the same whatever the format.
 */
@FunctionalInterface
public interface DeadLetterFormat {

    /** The record's value unchanged (empty for a tombstone). */
    DeadLetterFormat ORIGINAL = (record, value, reason, detail) -> value;

    /**
     * @param value the record's value, or empty when it is too large to keep (then a header says so)
     * @param detail the capability's {@link UnusableRecord#detail()}, or null
     * @return the dead letter's value; must hold no secret
     */
    byte[] value(InboundRecord record, byte[] value, String reason, Object detail);
}
