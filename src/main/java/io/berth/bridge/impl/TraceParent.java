package io.berth.bridge.impl;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context's {@code traceparent} (version 00): the record's trace is continued when its
 * header is valid, a new trace is started otherwise; each request is a span of its own, so each
 * attempt gets a new parent id. With tracing on, the request's real span replaces it
 * ({@code SubscriptionHandler}, {@code io.berth.tracing.Tracing#request}), in the same trace.
 *
 * <pre>
 *   00-{trace-id: 32 hex, not all zero}-{parent-id: 16 hex, not all zero}-{flags: 2 hex}
 * </pre>
 */
record TraceParent(String traceId, String flags) {

    static final String HEADER = "traceparent";

    private static final Pattern VALID = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String SAMPLED = "01";
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    /** {@code 00-}, the trace id, {@code -}, the span id, {@code -}, the flags. */
    private static final int LENGTH = 3 + 32 + 1 + 16 + 1 + 2;

    /** The trace of {@code header} (the record's {@code traceparent}), or a new one when it is absent or invalid. */
    static TraceParent continuing(String header) {
        if (header != null) {
            var match = VALID.matcher(header.trim().toLowerCase(Locale.ROOT));
            if (match.matches() && !allZero(match.group(1)) && !allZero(match.group(2))) {
                return new TraceParent(match.group(1), match.group(3));
            }
        }
        long high;
        long low;
        do {
            high = ThreadLocalRandom.current().nextLong();
            low = ThreadLocalRandom.current().nextLong();
        } while (high == 0 && low == 0);
        char[] traceId = new char[32];
        hex(high, traceId, 0);
        hex(low, traceId, 16);
        return new TraceParent(new String(traceId), SAMPLED);
    }

    /** The header of one request: this trace, a new span. */
    String nextSpan() {
        long span;
        do {
            span = ThreadLocalRandom.current().nextLong();
        } while (span == 0);
        // Written into one array: this is made for every request the bridge sends.
        char[] header = new char[LENGTH];
        header[0] = '0';
        header[1] = '0';
        header[2] = '-';
        traceId.getChars(0, 32, header, 3);
        header[35] = '-';
        hex(span, header, 36);
        header[52] = '-';
        flags.getChars(0, 2, header, 53);
        return new String(header);
    }

    /** The sixteen lowercase hex digits of {@code value}, most significant first. */
    static void hex(long value, char[] into, int at) {
        for (int i = at + 15; i >= at; i--) {
            into[i] = DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private static boolean allZero(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }
}
