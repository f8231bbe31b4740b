package io.berth.webhook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A mapping field whose string leaves are jq (port-agent's {@code _apply_jq_on_field}): an object
 * or a list is rebuilt with each string replaced by its evaluation, nested objects and lists
 * included; numbers, booleans and null pass through unchanged.
 */
sealed interface Template {

    /** Evaluates on {@code input}; a jq leaf that yields nothing becomes JSON null. */
    JsonNode evaluate(JsonNode input);

    /** Compiles every string leaf of {@code node}; {@code field} names it in errors (e.g. {@code body}). */
    static Template compile(JsonNode node, String field, Jq jq) throws TemplateException {
        Objects.requireNonNull(node, "node");
        if (node.isTextual()) {
            try {
                return new Expression(jq.compile(node.textValue()));
            } catch (net.thisptr.jackson.jq.exception.JsonQueryException e) {
                throw new TemplateException(field, "jq does not compile: " + e.getMessage());
            }
        }
        if (node.isObject()) {
            Map<String, Template> fields = new LinkedHashMap<>();
            for (var entry : node.properties()) {
                fields.put(entry.getKey(), compile(entry.getValue(), field + "." + entry.getKey(), jq));
            }
            return new Obj(fields);
        }
        if (node.isArray()) {
            List<Template> items = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                items.add(compile(node.get(i), field + "[" + i + "]", jq));
            }
            return new Arr(items);
        }
        return new Literal(node.deepCopy());
    }

    /** A string leaf that is not valid jq; {@code field} is the dot path of the leaf. */
    final class TemplateException extends Exception {

        private static final long serialVersionUID = 1L;

        private final String field;

        TemplateException(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    record Expression(JqExpression expression) implements Template {
        @Override
        public JsonNode evaluate(JsonNode input) {
            JsonNode result = expression.evaluate(input);
            return result == null ? NullNode.getInstance() : result;
        }
    }

    record Literal(JsonNode value) implements Template {
        @Override
        public JsonNode evaluate(JsonNode input) {
            return value.deepCopy();
        }
    }

    record Obj(Map<String, Template> fields) implements Template {
        @Override
        public JsonNode evaluate(JsonNode input) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach((name, template) -> out.set(name, template.evaluate(input)));
            return out;
        }
    }

    record Arr(List<Template> items) implements Template {
        @Override
        public JsonNode evaluate(JsonNode input) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(items.size());
            items.forEach(item -> out.add(item.evaluate(input)));
            return out;
        }
    }
}
