package io.berth.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** The {@code traceparent} of each bridge request: W3C Trace Context, version 00. */
class TraceParentTest {

    private static final String SHAPE = "00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}";

    @Test
    void aRecordsValidTraceparentIsContinuedWithItsTraceAndFlagsAndANewSpanPerRequest() {
        TraceParent trace = TraceParent.continuing(" 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00 ");
        String first = trace.nextSpan();
        String second = trace.nextSpan();

        assertThat(first).matches(SHAPE).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-00");
        assertThat(second).matches(SHAPE).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
        assertThat(spanId(first)).as("a span of its own").isNotEqualTo(spanId(second)).isNotEqualTo("00f067aa0ba902b7");
    }

    @Test
    void withoutAValidTraceparentANewSampledTraceIsStarted() {
        for (String header : new String[] {null, "", "garbage", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"}) {
            String sent = TraceParent.continuing(header).nextSpan();
            assertThat(sent).as("%s", header).matches(SHAPE).endsWith("-01");
            assertThat(sent.substring(3, 35)).as("a new trace").isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736")
                    .isNotEqualTo("0".repeat(32));
        }
    }

    @Test
    void anIdIsItsNumberInSixteenLowercaseHexDigitsAsHexFormatWritesIt() {
        SplittableRandom random = new SplittableRandom(20261203);
        LongStream.concat(LongStream.of(0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0123456789abcdefL),
                LongStream.generate(random::nextLong).limit(10_000)).forEach(value -> {
                    char[] written = new char[20];
                    TraceParent.hex(value, written, 2);
                    assertThat(new String(written, 2, 16)).as("%d", value).isEqualTo(HexFormat.of().toHexDigits(value));
                    assertThat(written[0]).as("nothing written before it").isEqualTo('\0');
                    assertThat(written[18]).as("nor after").isEqualTo('\0');
                });
    }

    @Test
    void newTracesAreNotRepeated() {
        Set<String> traces = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            traces.add(TraceParent.continuing(null).traceId());
        }
        assertThat(traces).hasSize(10_000).allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    private static String spanId(String traceparent) {
        return traceparent.substring(36, 52);
    }
}
