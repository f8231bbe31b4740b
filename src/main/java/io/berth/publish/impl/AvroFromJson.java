package io.berth.publish.impl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Plain JSON, as users write it ({@code {"id": "123", "age": 42, "email": null}}), to the Avro datum
 * its schema describes. This is not Avro's own JSON encoding (where a union value is wrapped as
 * {@code {"string": "x"}}): a union takes the first of its branches the value fits, {@code null}
 * fitting only {@code "null"}.
 *
 * <p>Rules: a record needs every field without a default, and takes no others; an enum a string among
 * its symbols; {@code int}/{@code long} whole numbers in range; {@code float}/{@code double} any
 * number; {@code bytes}/{@code fixed} a string whose characters are bytes (ISO-8859-1, as Avro's JSON
 * does). Logical types are written as their underlying type (a {@code date} is a number of days).
 * Every error is collected, each as {@code $.path: message}.
 */
final class AvroFromJson {

    private AvroFromJson() {
    }

    /** The datum, or null with at least one entry added to {@code errors}. */
    static Object convert(Schema schema, JsonNode value, List<String> errors) {
        return convert(schema, value, "$", errors);
    }

    private static Object convert(Schema schema, JsonNode value, String path, List<String> errors) {
        JsonNode node = value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value;
        switch (schema.getType()) {
            case RECORD:
                return record(schema, node, path, errors);
            case UNION:
                return union(schema, node, path, errors);
            case ENUM:
                if (node.isTextual() && schema.getEnumSymbols().contains(node.textValue())) {
                    return new GenericData.EnumSymbol(schema, node.textValue());
                }
                return error(errors, path, "must be one of " + schema.getEnumSymbols() + ", was "
                        + (node.isTextual() ? "another string" : kind(node)));
            case ARRAY:
                if (!node.isArray()) {
                    return error(errors, path, "must be an array, was " + kind(node));
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(convert(schema.getElementType(), node.get(i), path + "[" + i + "]", errors));
                }
                return new GenericData.Array<>(schema, items);
            case MAP:
                if (!node.isObject()) {
                    return error(errors, path, "must be an object, was " + kind(node));
                }
                Map<String, Object> entries = new LinkedHashMap<>();
                node.properties().forEach(e -> entries.put(e.getKey(),
                        convert(schema.getValueType(), e.getValue(), path + "." + e.getKey(), errors)));
                return entries;
            case STRING:
                return node.isTextual() ? node.textValue() : error(errors, path, "must be a string, was " + kind(node));
            case BYTES:
                return node.isTextual() ? ByteBuffer.wrap(node.textValue().getBytes(StandardCharsets.ISO_8859_1))
                        : error(errors, path, "must be a string of bytes, was " + kind(node));
            case FIXED:
                if (node.isTextual() && node.textValue().length() == schema.getFixedSize()) {
                    return new GenericData.Fixed(schema, node.textValue().getBytes(StandardCharsets.ISO_8859_1));
                }
                return error(errors, path, "must be a string of " + schema.getFixedSize() + " bytes, was " + kind(node));
            case INT:
                return node.isIntegralNumber() && node.canConvertToInt() ? (Object) node.intValue()
                        : error(errors, path, "must be a whole number of 32 bits, was " + kind(node));
            case LONG:
                return node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
                        : error(errors, path, "must be a whole number of 64 bits, was " + kind(node));
            case FLOAT:
                return node.isNumber() ? (Object) node.floatValue() : error(errors, path, "must be a number, was " + kind(node));
            case DOUBLE:
                return node.isNumber() ? (Object) node.doubleValue() : error(errors, path, "must be a number, was " + kind(node));
            case BOOLEAN:
                return node.isBoolean() ? (Object) node.booleanValue()
                        : error(errors, path, "must be true or false, was " + kind(node));
            case NULL:
                return node.isNull() ? null : error(errors, path, "must be null, was " + kind(node));
            default:
                return error(errors, path, "has an Avro type Berth does not write: " + schema.getType());
        }
    }

    private static Object record(Schema schema, JsonNode node, String path, List<String> errors) {
        if (!node.isObject()) {
            return error(errors, path, "must be an object (record " + schema.getName() + "), was " + kind(node));
        }
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            String fieldPath = path + "." + field.name();
            JsonNode fieldValue = node.get(field.name());
            if (fieldValue != null) {
                record.put(field.pos(), convert(field.schema(), fieldValue, fieldPath, errors));
            } else if (field.hasDefaultValue()) {
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else {
                error(errors, fieldPath, "is required (record " + schema.getName() + ", no default)");
            }
        }
        node.fieldNames().forEachRemaining(name -> {
            if (schema.getField(name) == null) {
                error(errors, path + "." + name, "is not a field of record " + schema.getName());
            }
        });
        return record;
    }

    private static Object union(Schema schema, JsonNode node, String path, List<String> errors) {
        for (Schema branch : schema.getTypes()) {
            List<String> attempt = new ArrayList<>();
            Object datum = convert(branch, node, path, attempt);
            if (attempt.isEmpty()) {
                return datum;
            }
        }
        List<String> names = schema.getTypes().stream().map(AvroFromJson::name).toList();
        return error(errors, path, "fits none of the union's types " + names + ", was " + kind(node));
    }

    private static String name(Schema schema) {
        return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM
                || schema.getType() == Schema.Type.FIXED ? schema.getFullName() : schema.getType().getName();
    }

    /** The JSON type of {@code node}, never its content: a value may carry decrypted secrets. */
    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Object error(List<String> errors, String path, String message) {
        errors.add(path + ": " + message);
        return null;
    }
}
