package io.berth.ops;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.berth.bridge.BridgeOutcome;
import io.berth.delivery.ConsumerRoster;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Follows every record of every capability from the dispatcher's taking it to its outcome, as a
 * listener of the delivery core: records received and in flight per capability, dead letters by
 * reason category, bridge deliveries by subscription and status with their time, and the oldest
 * record in flight (liveness: a record stuck for good).
 *
 * <p>Labels: {@code capability} is one of {@code runs}, {@code change-log}, {@code trigger},
 * {@code bridge} ({@code other} for records of no enlisted consumer, such as records pushed over
 * HTTP); {@code subscription} is a bridge subscription's topic, one of the bridge file's; statuses
 * are HTTP statuses; reasons are {@link DeadLetterReasons}' categories.
 */
@Singleton // called for every record: see RecordOutcomeListener
final class RecordFlow implements RecordOutcomeListener {

    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final ConsumerRoster roster;
    private final Map<InboundRecord, Taken> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlightByCapability = new ConcurrentHashMap<>();
    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();
    /** Meters found once per label set, not per record: a registry lookup builds an id and runs every filter. */
    private final Map<String, Counter> receivedByCapability = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionDeliveries> deliveriesBySubscription = new ConcurrentHashMap<>();

    /** Each enlisted topic's {@link Flow}, found once. */
    private final Map<String, Flow> flows = new ConcurrentHashMap<>();

    /** When a record was taken, and what it counts into. */
    private record Taken(long nanos, Flow flow) {
    }

    /**
     * What a topic's records count into: their capability's label, in-flight gauge and received
     * counter, and a bridge subscription's delivery timers (null for other capabilities). One map
     * lookup per record instead of a roster scan and three.
     */
    private record Flow(String capability, AtomicInteger inFlight,
            Counter received, SubscriptionDeliveries deliveries) {
    }

    @Inject
    RecordFlow(MeterRegistry registry, ConsumerRoster roster) {
        this.registry = registry;
        this.roster = roster;
    }

    @Override
    public void onReceived(InboundRecord record) {
        Flow flow = flow(record.topic());
        inFlight.put(record, new Taken(System.nanoTime(), flow));
        flow.inFlight().incrementAndGet();
        flow.received().increment();
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        Taken started = inFlight.remove(record);
        Flow flow = started != null ? started.flow() : flow(record.topic());
        if (started != null) {
            flow.inFlight().decrementAndGet();
        }
        if (outcome instanceof RecordOutcome.DeadLettered dead) {
            deadLetter(flow.capability(), "stored", dead.reason());
        } else if (outcome instanceof RecordOutcome.DeadLetterFailed failed) {
            deadLetter(flow.capability(), "refused", failed.reason());
        }
        if (started != null && flow.deliveries() != null) {
            // A webhook delivery ends with its last answer's status; without one, with its outcome's label.
            flow.deliveries().timer(outcome).record(System.nanoTime() - started.nanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The topic's flow. Consumers enlist before they consume and are never removed, so a topic's
     * consumer, once found, stays; a topic of none (records pushed over HTTP) is asked again each
     * time, since its consumer may enlist later.
     */
    private Flow flow(String topic) {
        Flow known = flows.get(topic);
        if (known != null) {
            return known;
        }
        Optional<ConsumerRoster.Member> member = roster.consuming(topic);
        String capability = member.map(found -> found.capability().label()).orElse(OTHER);
        Flow flow = new Flow(capability, inFlightGauge(capability),
                receivedByCapability.computeIfAbsent(capability, name -> Counter.builder("berth.records.received")
                        .description("Records taken by the delivery core, by capability")
                        .tag("capability", name)
                        .register(registry)),
                member.filter(found -> found.capability() == ConsumerRoster.Capability.BRIDGE).isPresent()
                        ? deliveriesBySubscription.computeIfAbsent(topic, SubscriptionDeliveries::new) : null);
        if (member.isPresent()) {
            flows.put(topic, flow);
        }
        return flow;
    }

    /** The record in flight the longest, and for how long. */
    Optional<Map.Entry<InboundRecord, Duration>> oldestInFlight() {
        long now = System.nanoTime();
        return inFlight.entrySet().stream().min(Comparator.comparingLong(taken -> taken.getValue().nanos()))
                .map(oldest -> Map.entry(oldest.getKey(), Duration.ofNanos(now - oldest.getValue().nanos())));
    }

    private void deadLetter(String capability, String stored, String reason) {
        Counter.builder("berth.dead.letters")
                .description("Records dead-lettered, by capability, reason category and whether the topic took them")
                .tag("capability", capability)
                .tag("reason", DeadLetterReasons.category(reason))
                .tag("result", stored)
                .register(registry)
                .increment();
    }

    /**
     * One subscription's delivery timers, found by status without a key made per record: a delivered
     * record's by its status in an array, any other by its outcome's label.
     */
    private final class SubscriptionDeliveries {

        private final String subscription;
        private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);
        private final Map<String, Timer> byLabel = new ConcurrentHashMap<>();

        SubscriptionDeliveries(String subscription) {
            this.subscription = subscription;
        }

        Timer timer(RecordOutcome outcome) {
            if (outcome instanceof BridgeOutcome.Delivered delivered && delivered.status() >= 0
                    && delivered.status() < byStatus.length()) {
                Timer timer = byStatus.get(delivered.status());
                if (timer == null) {
                    timer = register(Integer.toString(delivered.status()));
                    byStatus.set(delivered.status(), timer);
                }
                return timer;
            }
            String status = outcome instanceof BridgeOutcome.Delivered delivered ? Integer.toString(delivered.status())
                    : outcome.label();
            return byLabel.computeIfAbsent(status, this::register);
        }

        /** The registry hands back the same timer for the same tags: a race registers nothing twice. */
        private Timer register(String status) {
            return Timer.builder("berth.bridge.deliveries")
                    .description("Bridge records from their taking to their outcome (all attempts), by subscription "
                            + "and status")
                    .tag("subscription", subscription)
                    .tag("status", status)
                    .register(registry);
        }
    }

    /**
     * A gauge reads the counter it was given; the registry may outlive this bean (Micrometer's global
     * registry does, across Quarkus restarts in one JVM), so the gauges go with it rather than being
     * found again, reading a counter nobody updates.
     */
    @PreDestroy
    void removeGauges() {
        gauges.forEach(registry::remove);
    }

    private AtomicInteger inFlightGauge(String capability) {
        return inFlightByCapability.computeIfAbsent(capability, name -> {
            AtomicInteger count = new AtomicInteger();
            gauges.add(Gauge.builder("berth.records.in.flight", count, AtomicInteger::get)
                    .description("Records taken by the delivery core whose outcome is not known yet, by capability")
                    .tag("capability", name)
                    .register(registry));
            return count;
        });
    }
}
