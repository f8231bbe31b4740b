package io.berth.publish;

/** How a value is checked and written against its subject's schema. */
public enum SchemaFormat {
    /** Validated against a JSON Schema, written as JSON. */
    JSON,
    /** Converted from plain JSON following an Avro schema, written as Avro binary. */
    AVRO
}
