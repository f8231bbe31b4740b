package io.berth.delivery;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

/**
 * Every Kafka consumer Berth runs: the runs and change-log channels, each topic trigger, each bridge
 * subscription. Each capability's wiring enlists its consumers; readiness (has each joined its
 * group?), liveness (is each still polling?) and the lag monitor (which groups and topics to
 * measure, over which connection) read the roster, so none of them needs to know the capabilities.
 */
@Singleton // called for every record: see RecordOutcomeListener
public class ConsumerRoster {

    /** What a consumer serves; also the metrics' bounded name for it. */
    public enum Capability {
        RUNS, CHANGE_LOG, TRIGGER, BRIDGE;

        /** Made once: metrics and listeners ask for it per record. */
        private final String label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

        public String label() {
            return label;
        }
    }

    private final List<Member> members = new CopyOnWriteArrayList<>();

    /**
     * @param name names the consumer in health output, e.g. {@code "trigger orders"}
     * @param connection the consumer's kafka-clients configuration (brokers, TLS, SASL): the lag
     *        monitor connects with it; never shown
     */
    public Member enlist(Capability capability, String name, String group, String topic,
            Map<String, Object> connection) {
        Member member = new Member(capability, name, group, topic, connection);
        members.add(member);
        return member;
    }

    public List<Member> members() {
        return List.copyOf(members);
    }

    /** The first consumer of {@code topic} (a topic is rarely consumed by two capabilities at once). */
    public Optional<Member> consuming(String topic) {
        for (Member member : members) { // asked twice per record (io.berth.ops.RecordFlow): no stream
            if (member.topic().equals(topic)) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /** One consumer, told of its group membership as {@link PolledConsumer.Activity} (or by a channel's rebalance listener). */
    public static final class Member implements PolledConsumer.Activity {

        private final Capability capability;
        private final String name;
        private final String group;
        private final String topic;
        private final Map<String, Object> connection;
        private volatile boolean joined;
        private volatile int assignedPartitions;
        private volatile boolean stopped;

        private Member(Capability capability, String name, String group, String topic, Map<String, Object> connection) {
            this.capability = Objects.requireNonNull(capability, "capability");
            this.name = Objects.requireNonNull(name, "name");
            this.group = Objects.requireNonNull(group, "group");
            this.topic = Objects.requireNonNull(topic, "topic");
            this.connection = Map.copyOf(connection);
        }

        @Override
        public void assigned(int partitions) {
            assignedPartitions = partitions;
            joined = true;
        }

        @Override
        public void lost(int partitions) {
            assignedPartitions = partitions;
            joined = false;
        }

        @Override
        public void stopped() {
            stopped = true;
            joined = false;
        }

        public Capability capability() {
            return capability;
        }

        public String name() {
            return name;
        }

        public String group() {
            return group;
        }

        public String topic() {
            return topic;
        }

        /** The consumer's client configuration; may hold credentials, so it never leaves the process. */
        public Map<String, Object> connection() {
            return connection;
        }

        /** True once the consumer's group has answered (with or without partitions for it). */
        public boolean joined() {
            return joined;
        }

        public int assignedPartitions() {
            return assignedPartitions;
        }

        /** True once the consumer's loop has ended (Berth stopping, or an error that killed it). */
        public boolean hasStopped() {
            return stopped;
        }

        @Override
        public String toString() {
            return name + " (group " + group + ", topic " + topic + ")";
        }
    }
}
