package io.berth.port;

/**
 * A Port call that did not succeed. {@link #status()} is the HTTP status, or 0 when Port never
 * answered. The message names the call and the status only: no token, no secret, no body.
 */
public final class PortCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public PortCallException(String call, int status, Throwable cause) {
        super(status == 0
                ? call + " failed: Port did not answer (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")"
                : call + " failed: Port answered " + status, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * True when trying later may succeed: no answer, a 429, a 5xx, or a 401 that survived one token
     * refresh (another client with the same credentials took the one active token: the next round
     * fetches a new one).
     */
    public boolean isTransient() {
        return status == 0 || status == 401 || status == 429 || status >= 500;
    }
}
