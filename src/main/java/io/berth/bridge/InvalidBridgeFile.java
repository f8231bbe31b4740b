package io.berth.bridge;

/**
 * The bridge file cannot work: thrown at start-up, so that Berth stops before consuming. The
 * message names the file, the entry ({@code topics[0] (topic 'orders')}) and the field, and says
 * what to write instead; it never quotes a secret.
 */
public final class InvalidBridgeFile extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidBridgeFile(String message) {
        super(message, null, false, false);
    }
}
