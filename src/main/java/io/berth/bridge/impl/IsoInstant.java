package io.berth.bridge.impl;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Epoch milliseconds as {@link DateTimeFormatter#ISO_INSTANT} writes them ({@code
 * 2026-03-01T10:00:00Z}, {@code 2026-03-01T10:00:00.125Z}), in ASCII, written by hand: a batch
 * element carries its record's timestamp, and the formatter's parsed fields and builder were the
 * costliest part of an element after its value. Outside the years 1970 to 9999 (which ISO writes
 * with a sign) it asks the formatter.
 */
final class IsoInstant {

    /** 9999-12-31T23:59:59.999Z. */
    static final long LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999L;

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IsoInstant() {
    }

    /** The text in double quotes, as a JSON string. */
    static byte[] quoted(long epochMillis) {
        if (epochMillis < 0 || epochMillis > LAST_FOUR_DIGIT_YEAR) {
            return ('"' + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis)) + '"')
                    .getBytes(StandardCharsets.US_ASCII);
        }
        int millis = (int) (epochMillis % 1000);
        byte[] text = new byte[millis == 0 ? 22 : 26];
        text[0] = '"';
        // Days since 1970-01-01 to a civil date (H. Hinnant, "chrono-compatible low-level date
        // algorithms"): eras of 400 years from 0000-03-01, so that a leap day ends its year.
        long days = epochMillis / MILLIS_PER_DAY + 719_468;
        long era = days / 146_097;
        long dayOfEra = days - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        int secondOfDay = (int) (epochMillis % MILLIS_PER_DAY / 1000);
        digits(text, 1, year, 4);
        text[5] = '-';
        digits(text, 6, month, 2);
        text[8] = '-';
        digits(text, 9, day, 2);
        text[11] = 'T';
        digits(text, 12, secondOfDay / 3600, 2);
        text[14] = ':';
        digits(text, 15, secondOfDay / 60 % 60, 2);
        text[17] = ':';
        digits(text, 18, secondOfDay % 60, 2);
        int at = 20;
        if (millis != 0) {
            text[at] = '.';
            digits(text, at + 1, millis, 3);
            at += 4;
        }
        text[at] = 'Z';
        text[at + 1] = '"';
        return text;
    }

    private static void digits(byte[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
