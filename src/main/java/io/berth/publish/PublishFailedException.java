package io.berth.publish;

import java.util.List;

/**
 * A publication that did not reach the broker, and why: the message is the run's failure summary;
 * {@link #errors()} lists each validation error as {@code path: message}. Never holds a credential.
 */
public final class PublishFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> errors;

    public PublishFailedException(String message) {
        this(message, List.of());
    }

    public PublishFailedException(String message, List<String> errors) {
        super(message, null, false, false);
        this.errors = List.copyOf(errors);
    }

    /** The validation errors, one {@code path: message} each; empty when the failure is not the value's. */
    public List<String> errors() {
        return errors;
    }
}
