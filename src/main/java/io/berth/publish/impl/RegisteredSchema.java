package io.berth.publish.impl;

import java.util.Objects;

import io.berth.publish.SchemaFormat;

/**
 * A subject's latest schema as the registry gave it ({@code GET /subjects/{subject}/versions/latest}).
 *
 * @param id the registry's global id, written in the wire format
 * @param format the {@code schemaType} ({@code AVRO} when the registry leaves it out, as Confluent's does)
 */
record RegisteredSchema(String subject, int id, SchemaFormat format, ValueCodec codec) {

    RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(codec, "codec");
    }
}
