package io.berth.bridge.impl;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Reads the fields of one object of the bridge file, each problem naming where it is
 * ({@code topics[0] (topic 'orders'): retries ...}). Numbers may be written as text, since a Watt
 * placeholder ({@code "{CONCURRENCY}"}) always yields text. Never quotes a value that may be secret.
 */
final class Fields {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final JsonNode node;
    private final String where;
    private final String prefix;
    private final List<String> problems;

    /** @param where the object's entry, e.g. {@code "topics[0] (topic 'orders')"}; empty for the section */
    Fields(JsonNode node, String where, List<String> problems) {
        this(node, where, "", problems);
    }

    private Fields(JsonNode node, String where, String prefix, List<String> problems) {
        this.node = node == null || !node.isObject() ? JsonNodeFactory.instance.objectNode() : node;
        this.where = where;
        this.prefix = prefix;
        this.problems = problems;
    }

    void problem(String field, String message) {
        problems.add(where + (where.isEmpty() ? "" : ": ") + prefix + field + " " + message);
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    JsonNode get(String key) {
        return node.get(key);
    }

    /** The object's keys, in file order. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    void refuseUnknown(Set<String> known) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                problem(key, "is not a known key: use one of " + new TreeSet<>(known));
            }
        });
    }

    /** A string, or {@code fallback} when absent; null (with a problem) when not a string. */
    String text(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = node.get(key);
        if (!value.isTextual()) {
            problem(key, "must be a string");
            return null;
        }
        return value.textValue();
    }

    /** A non-blank string; null, with a problem saying {@code example}, when missing. */
    String required(String key, String example) {
        String value = text(key, null);
        if (value == null || value.isBlank()) {
            if (!has(key) || value != null) {
                problem(key, "is missing: set it, e.g. " + example);
            }
            return null;
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = node.get(key);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
            return Boolean.parseBoolean(value.textValue());
        }
        problem(key, "must be true or false");
        return fallback;
    }

    /** A whole number of at least {@code minimum}. */
    int integer(String key, int minimum, int fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = node.get(key);
        long number;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            number = value.longValue();
        } else if (value.isTextual() && value.textValue().trim().matches("-?\\d{1,18}")) {
            number = Long.parseLong(value.textValue().trim());
        } else {
            problem(key, "must be a whole number of at least " + minimum);
            return fallback;
        }
        if (number < minimum || number > Integer.MAX_VALUE) {
            problem(key, "must be a whole number of at least " + minimum + ", was " + number);
            return fallback;
        }
        return (int) number;
    }

    /** A number within [minimum, below]. */
    double decimal(String key, double minimum, double below, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = node.get(key);
        double number;
        try {
            number = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText(""));
        } catch (NumberFormatException notANumber) {
            number = Double.NaN;
        }
        if (!(number >= minimum && number < below)) {
            problem(key, "must be a number from " + minimum + " and below " + below + ", was " + value);
            return fallback;
        }
        return number;
    }

    /**
     * Milliseconds (kafka-hooks' unit: {@code 1000}), or a duration ({@code "500ms"}, {@code "2s"},
     * {@code "1m"}, {@code "PT2S"}), of at least {@code minimum}.
     */
    Duration duration(String key, Duration minimum, Duration fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = node.get(key);
        Duration duration = parseDuration(value);
        if (duration == null) {
            problem(key, "must be milliseconds (e.g. 1000) or a duration such as \"500ms\", \"2s\", \"1m\"");
            return fallback;
        }
        if (duration.compareTo(minimum) < 0) {
            problem(key, "must be at least " + minimum.toMillis() + " ms, was " + duration.toMillis() + " ms");
            return fallback;
        }
        return duration;
    }

    private static Duration parseDuration(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Duration.ofMillis(value.longValue());
        }
        if (!value.isTextual()) {
            return null;
        }
        String text = value.textValue().trim();
        if (text.matches("\\d{1,18}")) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        Matcher shortForm = SHORT_DURATION.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException notIso) {
            return null;
        }
    }

    /** An object of text values (header names to values); problems name each bad entry, not its value. */
    Map<String, String> textMap(String key) {
        Map<String, String> map = new LinkedHashMap<>();
        if (!has(key)) {
            return map;
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            problem(key, "must be an object of names to text values");
            return map;
        }
        value.properties().forEach(entry -> {
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                map.put(entry.getKey(), entry.getValue().asText());
            } else {
                problem(key + "." + entry.getKey(), "must be a text value");
            }
        });
        return map;
    }

    /** A list of non-blank strings. */
    List<String> textList(String key) {
        List<String> list = new ArrayList<>();
        if (!has(key)) {
            return list;
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            problem(key, "must be a list of strings");
            return list;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isTextual() && !item.textValue().isBlank()) {
                list.add(item.textValue());
            } else {
                problem(key + "[" + i + "]", "must be a non-empty string");
            }
        }
        return list;
    }

    /** The nested object at {@code key}, for its own fields; null with a problem when it is not one. */
    Fields object(String key, String shape) {
        if (!has(key)) {
            return null;
        }
        if (!node.get(key).isObject()) {
            problem(key, "must be an object " + shape);
            return null;
        }
        return new Fields(node.get(key), where, prefix + key + ".", problems);
    }
}
