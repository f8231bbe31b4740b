package io.berth.bridge.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** A batch element's timestamp is written by hand exactly as {@link DateTimeFormatter#ISO_INSTANT} writes it. */
class IsoInstantTest {

    @Test
    void anyMillisecondOfTheYears1970To9999IsWrittenAsIsoInstantWritesIt() {
        SplittableRandom random = new SplittableRandom(20261203);
        LongStream.concat(LongStream.generate(() -> random.nextLong(IsoInstant.LAST_FOUR_DIGIT_YEAR + 1)).limit(200_000),
                // whole seconds (no fraction), and whole days
                LongStream.generate(() -> random.nextLong(IsoInstant.LAST_FOUR_DIGIT_YEAR / 1000) * 1000).limit(20_000))
                .forEach(IsoInstantTest::writtenAsIsoInstant);
    }

    @Test
    void theEdgesOfDaysMonthsLeapYearsAndCenturiesAreWrittenAsIsoInstantWritesThem() {
        for (String day : new String[] {"1970-01-01", "1972-02-29", "1999-12-31", "2000-02-29", "2000-03-01",
                "2100-02-28", "2100-03-01", "2400-02-29", "2026-12-31", "9999-12-31"}) {
            long midnight = Instant.parse(day + "T00:00:00Z").toEpochMilli();
            for (long millis : new long[] {midnight - 1, midnight, midnight + 1, midnight + 999, midnight + 1000,
                    midnight + 86_399_999}) {
                if (millis >= 0 && millis <= IsoInstant.LAST_FOUR_DIGIT_YEAR) {
                    writtenAsIsoInstant(millis);
                }
            }
        }
        writtenAsIsoInstant(0);
        writtenAsIsoInstant(IsoInstant.LAST_FOUR_DIGIT_YEAR);
    }

    @Test
    void beyondTheYear9999ItIsTheFormattersTextWithItsSign() {
        writtenAsIsoInstant(IsoInstant.LAST_FOUR_DIGIT_YEAR + 1);
        assertThat(new String(IsoInstant.quoted(IsoInstant.LAST_FOUR_DIGIT_YEAR + 1), StandardCharsets.US_ASCII))
                .isEqualTo("\"+10000-01-01T00:00:00Z\"");
    }

    private static void writtenAsIsoInstant(long millis) {
        String expected = '"' + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)) + '"';
        assertThat(new String(IsoInstant.quoted(millis), StandardCharsets.US_ASCII)).as("%d ms", millis)
                .isEqualTo(expected);
    }
}
