package io.berth.runs;

/**
 * A record of the runs topic was read and parsed, before it is handled: a CDI event (any number of
 * observers; they must return at once, on the thread that took the record), so operations can count runs
 * received by action as they arrive rather than when they end.
 *
 * @param action the run's action identifier as the record names it, or null when the record is unusable
 *               (not a run: it goes to the dead letters)
 * @param route  what takes the run ({@code java:...}, {@code mapping#N}), or null when nothing here claims it
 *               or the record is unusable
 */
public record RunReceived(String action, String route) {

    /** A record that is not a usable run. */
    public static RunReceived unusable() {
        return new RunReceived(null, null);
    }
}
