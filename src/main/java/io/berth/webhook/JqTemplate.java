package io.berth.webhook;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON value whose string leaves are jq, compiled once, for capabilities other than the mapping
 * file (a topic trigger's Port action inputs). Same dialect and semantics as the mapping file's
 * fields: {@link Jq}, a jq error or empty output yields null.
 */
public final class JqTemplate {

    private final Template template;

    private JqTemplate(Template template) {
        this.template = template;
    }

    /**
     * @param field names the value in errors, e.g. {@code target.port_action.properties}
     * @throws Invalid when a string leaf is not valid jq; its message names the leaf's path
     */
    public static JqTemplate compile(JsonNode node, String field, Jq jq) {
        Objects.requireNonNull(node, "node");
        try {
            return new JqTemplate(Template.compile(node, field, jq));
        } catch (Template.TemplateException e) {
            throw new Invalid(e.field(), e.getMessage());
        }
    }

    /** Evaluates on {@code input}: never Java null (JSON null instead). */
    public JsonNode evaluate(JsonNode input) {
        return template.evaluate(input);
    }

    /** A leaf that is not valid jq. */
    public static final class Invalid extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        /** The dot path of the leaf, starting with the {@code field} given to {@link #compile}. */
        public String field() {
            return field;
        }
    }
}
