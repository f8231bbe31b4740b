package io.berth.jar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches a consumer group from the outside, through Kafka's Admin API, and records every
 * partition that a live member held with records waiting while its committed offset stood still
 * for longer than a bound: a partition assigned and not processed.
 *
 * <pre>
 *  every second, while the group is Stable:
 *    member (client id) ─ assignment ─┐
 *    committed offset per partition ──┼─► same owner since t0, committed unchanged since t0,
 *    log-end offset per partition ────┘   end > committed, now - t0 > bound  ⇒  a stall
 * </pre>
 *
 * Members whose client id is {@linkplain #stopping(String) being stopped} are not judged: a
 * replica draining on SIGTERM holds its partitions without taking new records, by design.
 */
final class PartitionProgress implements AutoCloseable {

    /** A partition that a member held, with records waiting, and did not advance. */
    record Stall(TopicPartition partition, String owner, long committed, long end, Duration stoodStill) {
    }

    private record Watch(String owner, long committed, long since) {
    }

    private final Admin admin;
    private final String group;
    private final String topic;
    private final Duration bound;
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Watch> watches = new HashMap<>();
    private final Map<TopicPartition, Stall> stalls = new ConcurrentHashMap<>();
    private final Map<String, Set<TopicPartition>> everAssigned = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    PartitionProgress(String bootstrapServers, String group, String topic, Duration bound) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
        this.group = group;
        this.topic = topic;
        this.bound = bound;
        this.sampler = new Thread(this::sampleUntilClosed, "partition-progress");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** From now on, the member with this client id is draining: its partitions are not judged. */
    void stopping(String clientId) {
        stopping.add(clientId);
    }

    /** Every stall seen so far, the longest per partition and owner. */
    List<Stall> stalls() {
        return List.copyOf(stalls.values());
    }

    /** The partitions each member (by client id) was seen holding. */
    Map<String, Set<TopicPartition>> everAssigned() {
        return Map.copyOf(everAssigned);
    }

    private void sampleUntilClosed() {
        while (running) {
            try {
                sample();
                TimeUnit.MILLISECONDS.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The group may be between generations or the broker busy: sample again.
            }
        }
    }

    private void sample() throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get(10, TimeUnit.SECONDS);
        // A member's assignment is what it holds now, whatever the group's state: under the consumer
        // protocol (KIP-848) members reconcile one by one and the group is seldom Stable while one joins.
        Map<TopicPartition, String> owners = new HashMap<>();
        for (MemberDescription member : description.members()) {
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                owners.put(partition, member.clientId());
                everAssigned.computeIfAbsent(member.clientId(), id -> ConcurrentHashMap.newKeySet()).add(partition);
            }
        }
        if (description.groupState() != GroupState.STABLE) {
            return; // stalls are judged only between rebalances
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = admin.listOffsets(owners.keySet().stream()
                .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest())))
                .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, String> owned : owners.entrySet()) {
            TopicPartition partition = owned.getKey();
            if (!partition.topic().equals(topic)) {
                continue;
            }
            String owner = owned.getValue();
            OffsetAndMetadata offset = committed.get(partition);
            long at = offset == null ? -1 : offset.offset();
            long end = ends.getOrDefault(partition, 0L);
            Watch watch = watches.get(partition);
            if (watch == null || !watch.owner().equals(owner) || watch.committed() != at || end <= at) {
                watches.put(partition, new Watch(owner, at, now));
                continue;
            }
            Duration still = Duration.ofNanos(now - watch.since());
            if (still.compareTo(bound) > 0 && !stopping.contains(owner)) {
                stalls.merge(partition, new Stall(partition, owner, at, end, still),
                        (old, fresh) -> fresh.stoodStill().compareTo(old.stoodStill()) > 0 ? fresh : old);
            }
        }
        watches.keySet().retainAll(owners.keySet());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join(Duration.ofSeconds(15).toMillis());
        admin.close(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        everAssigned.forEach((owner, partitions) -> lines.add(owner + " held " + partitions.stream()
                .map(TopicPartition::partition).sorted().toList()));
        return String.join("; ", lines);
    }
}
