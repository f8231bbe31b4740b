package io.berth.publish;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.config.IdOption;

/**
 * Decodes a record value in Confluent's wire format with Apicurio Registry's Kafka Avro
 * deserializer (a Confluent-compatible client library; Confluent's own is not on Maven Central),
 * giving back the record's fields as text.
 *
 * <p>Apicurio's deserializer cannot be loaded inside a {@code @QuarkusTest} application: Quarkus's
 * Kafka extension refuses to build an application that has it without Quarkus's Apicurio extension.
 * So the test build removes it from the application ({@code quarkus.class-loading.removed-artifacts}
 * in the pom) and {@link #fromOutsideTheApplication} loads this class through the JVM's own class
 * loader, where it is on the test class path. Only JDK types cross between the two.
 */
public final class ConfluentCompatibleAvroDecoder implements Function<byte[], Map<String, String>> {

    private final String apicurioApiUrl;

    public ConfluentCompatibleAvroDecoder(String apicurioApiUrl) {
        this.apicurioApiUrl = apicurioApiUrl;
    }

    /** An instance loaded by the system class loader, outside the Quarkus application. */
    @SuppressWarnings("unchecked")
    static Function<byte[], Map<String, String>> fromOutsideTheApplication(String apicurioApiUrl) throws Exception {
        return (Function<byte[], Map<String, String>>) ClassLoader.getSystemClassLoader()
                .loadClass(ConfluentCompatibleAvroDecoder.class.getName())
                .getConstructor(String.class).newInstance(apicurioApiUrl);
    }

    /**
     * In Confluent mode the deserializer reads magic byte 0 and the 4-byte big-endian schema id from
     * the payload (headers off) and fetches the writer's schema by that id, as a content id.
     */
    @Override
    public Map<String, String> apply(byte[] value) {
        // Kafka's configuration finds the serde's classes through the context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader applications = thread.getContextClassLoader();
        thread.setContextClassLoader(getClass().getClassLoader());
        try {
            return decode(value);
        } finally {
            thread.setContextClassLoader(applications);
        }
    }

    private Map<String, String> decode(byte[] value) {
        try (AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(Map.of(
                    SerdeConfig.REGISTRY_URL, apicurioApiUrl,
                    SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, "true",
                    SerdeConfig.USE_ID, IdOption.contentId.name(),
                    SerdeConfig.ENABLE_HEADERS, "false"), false);
            GenericRecord record = deserializer.deserialize("unused-by-id-lookup", value);
            Map<String, String> fields = new HashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                Object fieldValue = record.get(field.name());
                fields.put(field.name(), fieldValue == null ? null : fieldValue.toString());
            }
            return fields;
        }
    }
}
