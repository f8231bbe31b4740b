package io.berth.webhook;

/**
 * The mapping file ({@code CONTROL_THE_PAYLOAD_CONFIG_PATH}) cannot be used. The message names the
 * file, the entry (0-based index in the array) and field, and what is wrong, so that start-up can
 * stop with it as it is.
 */
public final class InvalidMappingFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidMappingFileException(String message) {
        super(message);
    }

    InvalidMappingFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
