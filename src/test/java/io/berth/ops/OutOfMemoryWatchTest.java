package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.Notification;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;

/** Out of memory, liveness turns DOWN and Berth exits, once; the test JVM's memory is left alone. */
class OutOfMemoryWatchTest {

    final AtomicInteger exits = new AtomicInteger();
    final OutOfMemoryWatch watch = new OutOfMemoryWatch(exits::incrementAndGet);
    final InboundRecord record = new InboundRecord("org_x.runs", 3, 41, null, new byte[0], () -> null);

    @Test
    void isLiveUntilMemoryRunsOut() {
        assertThat(watch.liveness().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(exits).hasValue(0);
    }

    @Test
    void turnsLivenessDownAndExitsOnceThePipelineHasSeenAnOutOfMemoryError() {
        watch.onOutOfMemory(record, new OutOfMemoryError("Java heap space"));
        watch.onOutOfMemory(record, new OutOfMemoryError("Java heap space"));

        HealthCheckResponse live = watch.liveness();
        assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(live.getData().orElseThrow().get("outOfMemory").toString())
                .contains("org_x.runs[3]@41").contains("Java heap space");
        assertThat(exits).hasValue(1);
    }

    @Test
    void turnsLivenessDownWhenTheHeapIsStillFullAfterACollection() {
        watch.handleNotification(new Notification(MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED, "jvm", 1), null);
        assertThat(watch.liveness().getStatus()).as("usage before a collection is not exhaustion")
                .isEqualTo(HealthCheckResponse.Status.UP);

        watch.handleNotification(new Notification(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED,
                "jvm", 2), null);
        assertThat(watch.liveness().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(exits).hasValue(1);
    }

    @Test
    void watchesTheOldGenerationOnlyNotAYoungPoolThatIsFullAfterEveryCollection() {
        // -XX:+UseSerialGC, as the container image runs: its survivor space is often full after a young collection.
        assertThat(OutOfMemoryWatch.watched("Tenured Gen", MemoryType.HEAP)).isTrue();
        assertThat(OutOfMemoryWatch.watched("Survivor Space", MemoryType.HEAP)).isFalse();
        assertThat(OutOfMemoryWatch.watched("Eden Space", MemoryType.HEAP)).isFalse();
        assertThat(OutOfMemoryWatch.watched("G1 Old Gen", MemoryType.HEAP)).isTrue();
        assertThat(OutOfMemoryWatch.watched("PS Survivor Space", MemoryType.HEAP)).isFalse();
        assertThat(OutOfMemoryWatch.watched("Metaspace", MemoryType.NON_HEAP)).isFalse();
    }
}
