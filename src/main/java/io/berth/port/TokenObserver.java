package io.berth.port;

/**
 * Told of each fetch of Port's access token, for readiness and metrics. Never told the token.
 * Called on the HTTP client's thread: must be quick and must not throw.
 */
public interface TokenObserver {

    /** @param renewal false for the first token since start, true for every later one */
    void fetched(boolean renewal);

    /** @param failure what went wrong; its message names the call and the status only */
    void failed(boolean renewal, Throwable failure);

    /** Nobody listens. */
    TokenObserver NONE = new TokenObserver() {
        @Override
        public void fetched(boolean renewal) {
        }

        @Override
        public void failed(boolean renewal, Throwable failure) {
        }
    };
}
