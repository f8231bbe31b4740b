package io.berth.runs;

/**
 * A record of the runs topic was read and parsed, before it is handled: told to every
 * {@link Listener} bean (any number; they must return at once, on the thread that took the record),
 * so operations can count runs received by action as they arrive rather than when they end.
 *
 * <p>Not a CDI event: ArC activates a request context around each synchronous notification, once per
 * run, for observers that need none.
 *
 * @param action the run's action identifier as the record names it, or null when the record is unusable
 *               (not a run: it goes to the dead letters)
 * @param route  what takes the run ({@code java:...}, {@code mapping#N}), or null when nothing here claims it
 *               or the record is unusable
 */
public record RunReceived(String action, String route) {

    /** Told of each {@link RunReceived}: a CDI bean implementing it is found at start-up. */
    public interface Listener {
        void onReceived(RunReceived received);
    }

    /** A record that is not a usable run. */
    public static RunReceived unusable() {
        return new RunReceived(null, null);
    }
}
