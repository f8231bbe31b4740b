package io.berth.triggers;

/**
 * The triggers file cannot work: thrown at start-up, so that Berth stops before consuming. The
 * message names the file, the entry (index and id) and the field, and says what to write instead.
 */
public final class InvalidTriggersFile extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidTriggersFile(String message) {
        super(message, null, false, false);
    }
}
