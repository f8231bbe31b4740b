package io.berth.bridge.impl;

import java.util.HexFormat;
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
    private static final HexFormat HEX = HexFormat.of();

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
        return new TraceParent(HEX.toHexDigits(high) + HEX.toHexDigits(low), SAMPLED);
    }

    /** The header of one request: this trace, a new span. */
    String nextSpan() {
        long span;
        do {
            span = ThreadLocalRandom.current().nextLong();
        } while (span == 0);
        return "00-" + traceId + "-" + HEX.toHexDigits(span) + "-" + flags;
    }

    private static boolean allZero(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }
}
