package io.berth.ops.lag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.berth.delivery.ConsumerRoster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Measures the lag of every group Berth consumes in, every {@code BERTH_LAG_INTERVAL}, on a thread
 * of its own with a Kafka Admin client per connection: never in a request, so a probe only reads the
 * last measurement.
 *
 * <pre>
 *  every interval ─► the roster's consumers, by connection, then by group
 *    └─ per group: committed offsets, members and their assignments (describe group), each topic's partitions,
 *                  end offsets (and start offsets where nothing is committed yet)
 *                  lag = end - committed (or end - start) ─► gauge berth_consumer_lag, last report
 * </pre>
 */
@ApplicationScoped
final class LagMonitor {

    private static final Logger LOG = Logger.getLogger(LagMonitor.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LagSettings settings;
    private final ConsumerRoster roster;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Map<String, Object>, Admin> admins = new ConcurrentHashMap<>();
    private final Map<List<String>, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final List<Gauge> registered = new CopyOnWriteArrayList<>();
    private volatile LagLimits limits;
    private volatile Instant startedAt;
    private volatile Report latest;
    private ScheduledExecutorService worker;

    /** The last measurement of every group. */
    record Report(Instant at, List<GroupLag> groups) {
    }

    @Inject
    LagMonitor(LagSettings settings, ConsumerRoster roster, MeterRegistry registry) {
        this.settings = settings;
        this.roster = roster;
        this.registry = registry;
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent event) {
        List<String> problems = LagLimits.problems(settings);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
        limits = LagLimits.of(settings);
        startedAt = clock.instant();
        worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "berth-consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
        // The first measurement soon after start (the consumers enlist as they start), then every interval.
        long interval = settings.interval().toMillis();
        worker.scheduleWithFixedDelay(this::measureQuietly, Math.min(interval, 1000), interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdownNow();
        }
        admins.values().forEach(admin -> admin.close(Duration.ofSeconds(2)));
        // The registry may outlive this bean (Micrometer's global one does across restarts in one JVM):
        // a gauge left behind would go on reading a value nobody updates.
        registered.forEach(registry::remove);
    }

    /** The last measurement, or null before the first. */
    Report latest() {
        return latest;
    }

    /** Whether the grace period after start is over: only then does lag over the limit turn the check DOWN. */
    boolean graceOver() {
        return startedAt != null && clock.instant().isAfter(startedAt.plus(settings.gracePeriod()));
    }

    private void measureQuietly() {
        try {
            latest = new Report(clock.instant(), measure());
        } catch (RuntimeException e) {
            LOG.warnf("Consumer lag: measuring failed (%s); trying again in %d s", e.getClass().getSimpleName(),
                    settings.interval().toSeconds());
        }
    }

    private List<GroupLag> measure() {
        Map<Map<String, Object>, Map<String, Set<String>>> topicsByGroupByConnection = new LinkedHashMap<>();
        for (ConsumerRoster.Member member : roster.members()) {
            topicsByGroupByConnection.computeIfAbsent(adminConfig(member.connection()), c -> new LinkedHashMap<>())
                    .computeIfAbsent(member.group(), g -> new LinkedHashSet<>()).add(member.topic());
        }
        List<GroupLag> groups = new ArrayList<>();
        topicsByGroupByConnection.forEach((connection, topicsByGroup) -> {
            Admin admin = admins.computeIfAbsent(connection, Admin::create);
            topicsByGroup.forEach((group, topics) -> groups.add(measure(admin, group, topics)));
        });
        return groups;
    }

    private GroupLag measure(Admin admin, String group, Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Collection<MemberDescription> members = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).members();
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            described.forEach((topic, description) -> description.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
            Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(admin,
                    partitions.stream().filter(p -> committed.get(p) == null).toList(), OffsetSpec.earliest());
            Map<String, GroupLag.TopicLag> lags = new LinkedHashMap<>();
            for (String topic : topics) {
                TreeMap<Integer, Long> lag = new TreeMap<>();
                partitions.stream().filter(p -> p.topic().equals(topic)).forEach(p -> {
                    long end = ends.get(p).offset();
                    OffsetAndMetadata commit = committed.get(p);
                    long from = commit != null ? commit.offset() : starts.get(p).offset();
                    lag.put(p.partition(), Math.max(0, end - from));
                    gauge(group, p).set(Math.max(0, end - from));
                });
                int consuming = (int) members.stream().filter(member -> member.assignment().topicPartitions().stream()
                        .anyMatch(assigned -> assigned.topic().equals(topic))).count();
                lags.put(topic, new GroupLag.TopicLag(lag.size(), consuming, limits.limit(topic), lag));
            }
            return new GroupLag(group, lags, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GroupLag(group, Map.of(), "interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.debugf("Consumer lag of group %s: %s", group, cause.toString());
            return new GroupLag(group, Map.of(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> partitions,
            OffsetSpec spec) throws InterruptedException, ExecutionException, TimeoutException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return admin.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code berth_consumer_lag{group,topic,partition}}: the groups and topics are Berth's own, the partitions theirs. */
    private AtomicLong gauge(String group, TopicPartition partition) {
        return gauges.computeIfAbsent(List.of(group, partition.topic(), Integer.toString(partition.partition())),
                key -> {
                    AtomicLong value = new AtomicLong();
                    registered.add(Gauge.builder("berth.consumer.lag", value, AtomicLong::get)
                            .description("Records of a partition not yet committed by Berth's consumer group")
                            .tag("group", key.get(0))
                            .tag("topic", key.get(1))
                            .tag("partition", key.get(2))
                            .register(registry));
                    return value;
                });
    }

    /** The consumer's connection settings an Admin client knows (brokers, TLS, SASL), with short timeouts. */
    private static Map<String, Object> adminConfig(Map<String, Object> consumer) {
        Map<String, Object> config = new HashMap<>();
        consumer.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "berth-consumer-lag");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return Map.copyOf(config);
    }
}
