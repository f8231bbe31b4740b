package io.berth.delivery.impl;

import java.util.ArrayDeque;
import java.util.Queue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A counting semaphore that never blocks a thread: {@link #acquire()} answers a {@link Uni} that
 * completes once a permit is free. The consumer awaits it before taking the next record, which is
 * how a full set of in-flight runs holds back consumption.
 */
final class AsyncPermits {

    private final int capacity;
    private final Queue<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int available;

    AsyncPermits(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.available = capacity;
    }

    Uni<Void> acquire() {
        return Uni.createFrom().emitter(emitter -> {
            boolean granted;
            synchronized (this) {
                granted = available > 0;
                if (granted) {
                    available--;
                } else {
                    waiting.add(emitter);
                }
            }
            if (granted) {
                emitter.complete(null);
            } else {
                // A waiter cancelled before its turn must not be handed a permit later: it would be lost.
                emitter.onTermination(() -> {
                    synchronized (this) {
                        waiting.remove(emitter);
                    }
                });
            }
        });
    }

    void release() {
        UniEmitter<? super Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                if (available == capacity) {
                    throw new IllegalStateException("released more permits than acquired");
                }
                available++;
                return;
            }
        }
        next.complete(null);
    }

    synchronized int inUse() {
        return capacity - available;
    }
}
