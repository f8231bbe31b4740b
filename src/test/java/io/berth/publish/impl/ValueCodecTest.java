package io.berth.publish.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.publish.PublishFailedException;

/** Checking and encoding a value against its subject's schema. */
class ValueCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AVRO = """
            {"type": "record", "name": "User", "namespace": "io.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "age", "type": "int"},
              {"name": "email", "type": ["null", "string"], "default": null},
              {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["FREE", "PRO"]}, "default": "FREE"},
              {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []}]}""";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void writesAvroBinaryFromPlainJsonFillingDefaults() throws Exception {
        Schema schema = new Schema.Parser().parse(USER_AVRO);
        byte[] bytes = ValueCodec.avro(schema, "users-value").encode(json("{\"id\": \"123\", \"age\": 42, "
                + "\"email\": \"john@example.com\"}"));

        GenericRecord user = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(user.get("id")).hasToString("123");
        assertThat(user.get("age")).isEqualTo(42);
        assertThat(user.get("email")).hasToString("john@example.com");
        assertThat(user.get("tier")).hasToString("FREE");
        assertThat((Iterable<?>) user.get("tags")).isEmpty();
    }

    @Test
    void anInvalidAvroValueFailsWithEveryErrorAndItsPath() throws Exception {
        ValueCodec codec = ValueCodec.avro(new Schema.Parser().parse(USER_AVRO), "users-value");

        assertThatThrownBy(() -> codec.encode(json("{\"age\": \"old\", \"tier\": \"GOLD\", \"tags\": [1], \"nick\": \"x\"}")))
                .isInstanceOfSatisfying(PublishFailedException.class, e -> assertThat(e.errors()).containsExactly(
                        "$.age: must be a whole number of 32 bits, was string",
                        "$.id: is required (record User, no default)",
                        "$.nick: is not a field of record User",
                        "$.tags[0]: must be a string, was number",
                        "$.tier: must be one of [FREE, PRO], was another string"))
                .hasMessageStartingWith("The value does not follow the schema of subject users-value: $.age: ");
    }

    @Test
    void validatesJsonAgainstAJsonSchemaAndWritesItAsJson() throws Exception {
        ValueCodec codec = ValueCodec.jsonSchema(json("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"id": {"type": "string"}, "amount": {"type": "number", "minimum": 0}},
                 "required": ["id"]}"""), "orders-value");

        assertThat(new String(codec.encode(json("{\"id\": \"o-1\", \"amount\": 9.5}")), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"o-1\",\"amount\":9.5}");
        assertThatThrownBy(() -> codec.encode(json("{\"amount\": -1}")))
                .isInstanceOfSatisfying(PublishFailedException.class, e -> assertThat(e.errors()).hasSize(2)
                        .anySatisfy(error -> assertThat(error).startsWith("$: ").contains("id"))
                        .anySatisfy(error -> assertThat(error).startsWith("$.amount: ").contains("0")));
    }

    @Test
    void confluentsWireFormatIsMagicByteSchemaIdThenPayload() {
        byte[] framed = ConfluentFraming.frame(258, new byte[] {7, 8});

        ByteBuffer buffer = ByteBuffer.wrap(framed);
        assertThat(buffer.get()).isZero();
        assertThat(buffer.getInt()).isEqualTo(258);
        assertThat(framed).endsWith(7, 8).hasSize(7);
    }
}
