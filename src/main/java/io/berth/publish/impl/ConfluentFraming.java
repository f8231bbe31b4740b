package io.berth.publish.impl;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format, what its serializers write and its deserializers expect: magic byte
 * {@code 0}, the schema's registry id as 4 bytes big-endian, then the payload (Avro binary, or JSON
 * text for JSON Schema).
 */
final class ConfluentFraming {

    static final byte MAGIC_BYTE = 0;

    private ConfluentFraming() {
    }

    static byte[] frame(int schemaId, byte[] payload) {
        return ByteBuffer.allocate(1 + Integer.BYTES + payload.length)
                .put(MAGIC_BYTE).putInt(schemaId).put(payload).array();
    }
}
