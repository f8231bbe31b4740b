package io.berth.config;

/**
 * {@code BERTH_KAFKA_GROUP_PROTOCOL}: which consumer group protocol Berth's channels speak.
 *
 * <ul>
 *   <li>{@link #CONSUMER}: Kafka's new protocol (KIP-848, Kafka 4.0+ brokers with {@code group.version}
 *       1): the broker assigns partitions member by member, so a join or a leave moves only the
 *       partitions that change owner, with no group-wide barrier, and heartbeats and session timeout
 *       are the broker's settings;
 *   <li>{@link #CLASSIC}: the classic protocol, with the cooperative-sticky assignor;
 *   <li>{@link #AUTO} (default): {@code CONSUMER} when the brokers finalize {@code group.version} 1 or
 *       more, {@code CLASSIC} otherwise or when they cannot be asked.
 * </ul>
 */
public enum GroupProtocol {
    AUTO, CLASSIC, CONSUMER
}
