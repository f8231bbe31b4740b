package io.berth.delivery.impl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.berth.delivery.DirectUni;
import io.smallrye.mutiny.Uni;

/**
 * A semaphore over records in flight, counted and weighed, that never blocks a thread:
 * {@link #acquire(long)} answers a {@link Uni} that completes once the record fits, that is once
 * fewer than {@code capacity} records are in flight and their bytes plus its own stay within the
 * byte budget. The consumer awaits it before taking the next record, which is how a full set of
 * in-flight runs, or a few large ones, holds back consumption.
 *
 * <p>A record heavier than the whole budget is let in once nothing else is in flight: it runs
 * alone rather than never. Waiters are served in order, so a heavy record is not overtaken forever.
 */
final class AsyncPermits {

    private static final Logger LOG = Logger.getLogger(AsyncPermits.class);

    private final int capacity;
    private final long byteBudget;
    private final Queue<Waiter> waiting = new ArrayDeque<>();
    private int inUse;
    private long bytesInUse;

    AsyncPermits(int capacity, long byteBudget) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (byteBudget < 1) {
            throw new IllegalArgumentException("byteBudget must be at least 1, was " + byteBudget);
        }
        this.capacity = capacity;
        this.byteBudget = byteBudget;
    }

    /** A permit for a record of {@code bytes}; {@link Permit#release()} it once the record's outcome is known. */
    Uni<Permit> acquire(long bytes) {
        return DirectUni.of(completion -> request(bytes, completion::complete));
    }

    /**
     * As {@link #acquire}, without a {@code Uni} (the delivery core's path for each record):
     * {@code granted} gets the permit at once when the record fits, else later, on the thread that
     * released the permit that made room.
     *
     * @return what withdraws the request while it waits (a withdrawn waiter is never handed a permit,
     *         which would be lost); null when it was granted at once
     */
    Runnable request(long bytes, Consumer<Permit> granted) {
        Permit permit = new Permit(Math.max(0, bytes));
        Waiter waiter;
        synchronized (this) {
            if (waiting.isEmpty() && fits(permit.bytes)) {
                take(permit);
                waiter = null;
            } else {
                waiter = new Waiter(permit, granted);
                waiting.add(waiter);
            }
        }
        if (waiter == null) {
            granted.accept(permit);
            return null;
        }
        return () -> {
            synchronized (this) {
                waiting.remove(waiter);
            }
        };
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized long bytesInUse() {
        return bytesInUse;
    }

    private boolean fits(long bytes) {
        return inUse == 0 || (inUse < capacity && bytesInUse + bytes <= byteBudget);
    }

    private void take(Permit permit) {
        inUse++;
        bytesInUse += permit.bytes;
    }

    private void give(Permit permit) {
        List<Waiter> admitted = new ArrayList<>();
        synchronized (this) {
            inUse--;
            bytesInUse -= permit.bytes;
            while (!waiting.isEmpty() && fits(waiting.peek().permit.bytes)) {
                Waiter next = waiting.poll();
                take(next.permit);
                admitted.add(next);
            }
        }
        for (Waiter waiter : admitted) {
            try {
                waiter.granted.accept(waiter.permit);
            } catch (RuntimeException e) {
                // One waiter's failure must not strand the others admitted with it, nor the releasing record.
                LOG.errorf(e, "A record given its permit failed to go on");
            }
        }
    }

    /** One record's share of the permits, released once. */
    final class Permit {

        private final long bytes;
        private boolean released;

        private Permit(long bytes) {
            this.bytes = bytes;
        }

        void release() {
            synchronized (AsyncPermits.this) {
                if (released) {
                    throw new IllegalStateException("permit released twice");
                }
                released = true;
            }
            give(this);
        }
    }

    private record Waiter(Permit permit, Consumer<Permit> granted) {
    }
}
