package io.berth.bridge.impl;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Watt's {@code {ENV_NAME}} placeholders: each is replaced, in every string value of the file, by
 * the environment variable of that name ({@code "brokers": ["{PLT_KAFKA_BROKER}"]}). Replaced in
 * parsed values, not in the raw text, so that a value holding quotes cannot change the file's
 * structure. A variable that is not set is a problem naming the field, never the value.
 */
final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

    private Placeholders() {
    }

    /** Replaces the placeholders of {@code node} in place; adds a problem per unset variable. */
    static JsonNode resolve(JsonNode node, String path, Function<String, String> env, List<String> problems) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> field.setValue(
                    resolve(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), env,
                            problems)));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, resolve(array.get(i), path + "[" + i + "]", env, problems));
            }
            return array;
        }
        if (node != null && node.isTextual() && node.textValue().indexOf('{') >= 0) {
            Matcher matcher = PLACEHOLDER.matcher(node.textValue());
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String value = env.apply(matcher.group(1));
                if (value == null) {
                    problems.add(path + " uses {" + matcher.group(1) + "}, but the environment variable "
                            + matcher.group(1) + " is not set: set it, or write the value in the file");
                    value = "";
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(out);
            return TextNode.valueOf(out.toString());
        }
        return node;
    }
}
