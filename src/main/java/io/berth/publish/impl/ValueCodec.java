package io.berth.publish.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;

import io.berth.publish.PublishFailedException;

/** Checks a value against a schema and writes its bytes; an invalid value fails with every error found. */
sealed interface ValueCodec {

    /**
     * @throws PublishFailedException when the value does not follow the schema, with one
     *         {@code path: message} per error
     */
    byte[] encode(JsonNode value);

    /** Compiles a JSON Schema; an unknown or missing {@code $schema} is read as draft 7, Confluent's default. */
    static ValueCodec jsonSchema(JsonNode schema, String subject) {
        SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(schema, false)
                .orElse(SpecVersion.VersionFlag.V7);
        return new JsonSchemaCodec(JsonSchemaFactory.getInstance(version).getSchema(schema), subject);
    }

    static ValueCodec avro(Schema schema, String subject) {
        return new AvroCodec(schema, subject);
    }

    private static PublishFailedException invalid(String subject, List<String> errors) {
        List<String> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.naturalOrder());
        return new PublishFailedException("The value does not follow the schema of subject " + subject + ": "
                + String.join("; ", sorted), sorted);
    }

    /** Validated, then written as compact JSON (UTF-8). */
    record JsonSchemaCodec(JsonSchema schema, String subject) implements ValueCodec {
        @Override
        public byte[] encode(JsonNode value) {
            List<String> errors = schema.validate(value).stream()
                    .map(error -> error.getInstanceLocation() + ": " + error.getError())
                    .toList();
            if (!errors.isEmpty()) {
                throw invalid(subject, errors);
            }
            return value.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Plain JSON converted following the schema ({@link AvroFromJson}), then written as Avro binary. */
    record AvroCodec(Schema schema, String subject) implements ValueCodec {
        public AvroCodec {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public byte[] encode(JsonNode value) {
            List<String> errors = new ArrayList<>();
            Object datum = AvroFromJson.convert(schema, value, errors);
            if (!errors.isEmpty()) {
                throw invalid(subject, errors);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                new GenericDatumWriter<>(schema).write(datum, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
            return out.toByteArray();
        }
    }
}
