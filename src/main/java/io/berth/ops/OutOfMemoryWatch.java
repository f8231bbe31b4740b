package io.berth.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

import io.berth.config.BerthSettings;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.delivery.RecordOutcomeListener;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Out of memory, Berth stops rather than limps on: once the pipeline has seen an
 * {@link OutOfMemoryError}, or the heap is still nearly full after a garbage collection, liveness
 * turns DOWN and (in production) Berth exits with status 3, as the JVM's
 * {@code -XX:+ExitOnOutOfMemoryError} does. An {@link OutOfMemoryError} leaves threads and
 * permits in unknown states; a restart, with every unfinished record redelivered, is what is safe.
 * ({@link MemoryLiveness} reports it: a bean with the {@code @Liveness} qualifier would not be
 * one of the pipeline's outcome listeners.)
 */
@Singleton // called for every record: see RecordOutcomeListener
final class OutOfMemoryWatch implements RecordOutcomeListener, NotificationListener {

    /** After a collection, a heap pool fuller than this is as good as out of memory. */
    static final double HEAP_FULL_AFTER_COLLECTION = 0.95;

    /** The JVM's own exit status on {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int EXIT_STATUS = 3;

    private static final Logger LOG = Logger.getLogger(OutOfMemoryWatch.class);

    private final AtomicReference<String> exhausted = new AtomicReference<>();
    private final Runnable exit;

    @Inject
    OutOfMemoryWatch(BerthSettings berth) {
        this(LaunchMode.current() == LaunchMode.NORMAL
                ? () -> exit(berth.runs().shutdownGrace().plusSeconds(10))
                // Dev mode and tests: stay up, DOWN, so the outcome can be seen.
                : () -> { });
    }

    OutOfMemoryWatch(Runnable exit) {
        this.exit = exit;
    }

    void watchHeap(@Observes StartupEvent event) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            if (watched(pool.getName(), pool.getType()) && pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold((long) (max * HEAP_FULL_AFTER_COLLECTION));
            }
        }
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(this, null, null);
    }

    /**
     * The heap's old generation only. A young pool says nothing of exhaustion: the serial and
     * parallel collectors give their survivor space a fixed size, and after a young collection it is
     * often nearly full (what does not fit is promoted); G1's young pools have no maximum at all.
     */
    static boolean watched(String poolName, MemoryType type) {
        return type == MemoryType.HEAP && !poolName.contains("Eden") && !poolName.contains("Survivor");
    }

    void stopWatching(@Observes ShutdownEvent event) {
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(this);
        } catch (ListenerNotFoundException notWatching) {
            // Start-up failed before the watch began: nothing to remove.
        }
    }

    @Override
    public void onOutcome(InboundRecord record, RecordOutcome outcome) {
        // Outcomes are the other listeners' business.
    }

    @Override
    public void onOutOfMemory(InboundRecord record, OutOfMemoryError error) {
        exhausted(record + " ran out of memory: " + error.getMessage());
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
            return;
        }
        String pool = notification.getUserData() instanceof CompositeData data
                ? MemoryNotificationInfo.from(data).getPoolName()
                : "a heap pool";
        exhausted(pool + " is over " + Math.round(HEAP_FULL_AFTER_COLLECTION * 100) + " % full after a garbage "
                + "collection");
    }

    /** UP until memory ran out; then DOWN, with the cause. */
    HealthCheckResponse liveness() {
        String cause = exhausted.get();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("berth-memory").status(cause == null);
        return cause == null ? response.build() : response.withData("outOfMemory", cause).build();
    }

    private void exhausted(String cause) {
        if (exhausted.compareAndSet(null, cause)) {
            LOG.errorf("Out of memory (%s): liveness is DOWN and Berth stops; unfinished records are redelivered "
                    + "after the restart. Give Berth more heap (-Xmx, or the container's memory limit), or lower "
                    + "BERTH_RUNS_MAX_IN_FLIGHT_BYTES or BERTH_RUNS_CONCURRENCY", cause);
            exit.run();
        }
    }

    /** A graceful stop if it can still happen; a halt if it does not within {@code patience}. */
    private static void exit(Duration patience) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(patience.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf("Out of memory: the graceful stop did not end within %d s; halting", patience.toSeconds());
            Runtime.getRuntime().halt(EXIT_STATUS);
        }, "berth-out-of-memory-halt");
        halt.setDaemon(true);
        halt.start();
        Quarkus.asyncExit(EXIT_STATUS);
    }
}
