package io.berth.command;

import java.util.Objects;

/**
 * One line of {@code validate}: {@code OK   kafka: localhost:9092 reachable} or
 * {@code FAIL port: ...}. A failure's detail names the variable, entry or field and the fix.
 *
 * @param subject what was checked, e.g. {@code kafka}, {@code topic org.runs}, {@code bridge file}
 */
public record Check(boolean ok, String subject, String detail) {

    public Check {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
    }

    public static Check ok(String subject, String detail) {
        return new Check(true, subject, detail);
    }

    public static Check fail(String subject, String detail) {
        return new Check(false, subject, detail);
    }

    /** The printed line; a detail over several lines is kept on one. */
    public String line() {
        return (ok ? "OK   " : "FAIL ") + subject + ": " + detail.replaceAll("\\s*\\R\\s*", " ");
    }
}
