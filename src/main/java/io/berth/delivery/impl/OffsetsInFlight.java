package io.berth.delivery.impl;

import java.util.Arrays;

/**
 * One partition's offsets in flight, sorted, each with what it stands for (or null): the
 * offset bookkeeping of the consumer ({@link OffsetTracker}) and of the dispatcher
 * ({@link PartitionLedger}). Not thread-safe: its owners lock around it.
 *
 * <pre>
 *  offsets  [ 12 | 14 | 15 | 19 |  .  .  . ]   sorted, size 4 of a capacity that only grows
 *  values   [ r12| r14| r15| r19|  .  .  . ]
 *  put(20)     ─► appended: offsets arrive in order, so the usual case costs one comparison
 *  put(13)     ─► inserted by binary search (a seek back reads older offsets again)
 *  remove(14)  ─► found by binary search, the tails shifted left by one
 * </pre>
 *
 * Arrays rather than a sorted map: no node nor boxed offset per record, and the records in flight
 * (the consumer's bounds, a few hundred) move in one {@code arraycopy}.
 */
final class OffsetsInFlight<T> {

    private long[] offsets = new long[16];
    private Object[] values = new Object[16];
    private int size;

    /** Adds {@code offset}, or gives it {@code value} when it is in flight already. */
    void put(long offset, T value) {
        int index;
        if (size == 0 || offsets[size - 1] < offset) {
            index = size;
        } else {
            int found = Arrays.binarySearch(offsets, 0, size, offset);
            if (found >= 0) {
                values[found] = value;
                return;
            }
            index = -found - 1;
        }
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        System.arraycopy(offsets, index, offsets, index + 1, size - index);
        System.arraycopy(values, index, values, index + 1, size - index);
        offsets[index] = offset;
        values[index] = value;
        size++;
    }

    /** Removes {@code offset} whatever it stands for; nothing when it is not in flight. */
    void remove(long offset) {
        int found = Arrays.binarySearch(offsets, 0, size, offset);
        if (found >= 0) {
            removeAt(found);
        }
    }

    /** Removes {@code offset} only while it stands for {@code value}: a newer record of that offset stays. */
    void remove(long offset, T value) {
        int found = Arrays.binarySearch(offsets, 0, size, offset);
        if (found >= 0 && values[found] == value) {
            removeAt(found);
        }
    }

    private void removeAt(int index) {
        System.arraycopy(offsets, index + 1, offsets, index, size - index - 1);
        System.arraycopy(values, index + 1, values, index, size - index - 1);
        size--;
        values[size] = null;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The lowest offset in flight; only when not {@link #isEmpty}. */
    long first() {
        return offsets[0];
    }

    /** What the {@code index}th lowest offset in flight stands for, from 0 to {@link #size} - 1. */
    @SuppressWarnings("unchecked")
    T valueAt(int index) {
        return (T) values[index];
    }
}
