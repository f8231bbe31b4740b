package io.berth.publish;

/** A {@code kafka} option of a mapping entry that cannot work; the mapping file names entry and field. */
public final class InvalidPublishOption extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    InvalidPublishOption(String field, String problem) {
        super(problem);
        this.field = field;
    }

    /** The field's path inside the {@code kafka} object, e.g. {@code schemaRegistry.format}. */
    public String field() {
        return field;
    }
}
