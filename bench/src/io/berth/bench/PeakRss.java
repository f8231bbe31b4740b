package io.berth.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;

/** The peak of a process's (or process tree's) RSS, read from /proc every 100 ms on a thread of its own. */
final class PeakRss {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile double max;

    private PeakRss() {
    }

    static PeakRss sample(DoubleSupplier rssMiB) {
        PeakRss peak = new PeakRss();
        Thread thread = new Thread(() -> {
            while (peak.running.get()) {
                double now = rssMiB.getAsDouble();
                if (!Double.isNaN(now)) {
                    peak.max = Math.max(peak.max, now);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peak-rss");
        thread.setDaemon(true);
        thread.start();
        return peak;
    }

    void stop() {
        running.set(false);
    }

    double max() {
        return max;
    }
}
