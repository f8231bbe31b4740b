package io.berth.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.publish.ProducerOptions;
import io.berth.publish.Publication;
import io.berth.publish.PublishFailedException;
import io.berth.publish.SchemaFormat;

/** A mapping entry's {@code kafka} object: read strictly at start-up, evaluated as jq over the run. */
class KafkaEntryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jq jq = new Jq(Map.of("REGISTRY_PASSWORD", "pw-from-env", "PORT_CLIENT_SECRET", "s3cr3t-value"));

    private MappingFile parse(String entries) {
        return MappingFile.parse("[" + entries + "]", "f.json", jq);
    }

    private String refusal(String entries) {
        return assertThatThrownBy(() -> parse(entries)).isInstanceOf(InvalidMappingFileException.class)
                .actual().getMessage();
    }

    @Test
    void evaluatesTopicKeyHeadersAndValueAsJqOverTheRun() throws Exception {
        KafkaTarget target = parse("""
                {"kafka": {"topic": "\\"user-events\\"", "key": "\\"user-\\" + .payload.properties.id",
                  "headers": {"source": "\\"berth\\"", "run": ".context.runId", "missing": ".nothing"},
                  "value": {"id": ".payload.properties.id", "n": ".payload.properties.n"}}}""")
                .mappings().get(0).kafka().orElseThrow();
        JsonNode run = JSON.readTree("""
                {"context": {"runId": "r_1"}, "payload": {"properties": {"id": "42", "n": 7}}}""");

        Publication publication = target.prepare(run, "r_1");

        assertThat(publication.topic()).isEqualTo("user-events");
        assertThat(publication.key()).isEqualTo("user-42");
        assertThat(publication.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("source", "berth", "run", "r_1"));
        assertThat(publication.value()).isEqualTo(JSON.readTree("{\"id\": \"42\", \"n\": 7}"));
        assertThat(publication.options()).isEqualTo(new ProducerOptions("all", "none", true, 5));
        assertThat(publication.registry()).isEmpty();
    }

    @Test
    void theValueDefaultsToTheWholeMessage() throws Exception {
        JsonNode run = JSON.readTree("{\"context\": {\"runId\": \"r_1\"}}");
        Publication publication = parse("{\"kafka\": {\"topic\": \"\\\"t\\\"\"}}").mappings().get(0).kafka()
                .orElseThrow().prepare(run, "r_1");

        assertThat(publication.value()).isEqualTo(run);
        assertThat(publication.key()).isNull();
    }

    @Test
    void aTopicThatIsNotATopicNameFailsTheRun() {
        KafkaTarget target = parse("{\"kafka\": {\"topic\": \".payload.nothing\"}}").mappings().get(0).kafka()
                .orElseThrow();

        assertThatThrownBy(() -> target.prepare(JSON.createObjectNode(), "r_1"))
                .isInstanceOf(PublishFailedException.class).hasMessageStartingWith("kafka.topic yielded null");
    }

    @Test
    void readsProducerOptionsAndTheRegistry() {
        KafkaTarget target = parse("""
                {"kafka": {"topic": "\\"t\\"", "acks": 1, "compression": "zstd", "idempotence": false, "lingerMs": 20,
                  "schemaRegistry": {"url": "http://registry:8081/", "format": "avro", "wireFormat": false,
                    "username": "berth", "password": "env.REGISTRY_PASSWORD"}}}""").mappings().get(0).kafka()
                .orElseThrow();

        assertThat(target.options()).isEqualTo(new ProducerOptions("1", "zstd", false, 20));
        var registry = target.registry().orElseThrow();
        assertThat(registry.url()).hasToString("http://registry:8081");
        assertThat(registry.subjectFor("orders")).isEqualTo("orders-value");
        assertThat(registry.format()).contains(SchemaFormat.AVRO);
        assertThat(registry.wireFormat()).isFalse();
        assertThat(registry.password().orElseThrow().reveal()).isEqualTo("pw-from-env");
        assertThat(registry.toString()).doesNotContain("pw-from-env");
    }

    @Test
    void refusesAnEntryWithBothUrlAndKafka() {
        assertThat(refusal("{\"url\": \"\\\"http://x\\\"\", \"kafka\": {\"topic\": \"\\\"t\\\"\"}}"))
                .contains("entry [0], field \"url\": an entry with \"kafka\" publishes instead of calling a webhook");
        assertThat(refusal("{\"body\": {}, \"kafka\": {\"topic\": \"\\\"t\\\"\"}}"))
                .contains("field \"body\"", "use kafka.value");
    }

    @Test
    void refusesUnknownKafkaKeysWithTheKeyItMeant() {
        assertThat(refusal("{\"enabled\": true}, {\"kafka\": {\"topik\": \"\\\"t\\\"\"}}"))
                .contains("entry [1], field \"kafka.topik\": unknown key, did you mean \"kafka.topic\"?");
        assertThat(refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"schemaRegistry\": {\"url\": \"http://r\","
                + " \"subjet\": \"s\"}}}"))
                .contains("field \"kafka.schemaRegistry.subjet\": unknown key, did you mean \"kafka.schemaRegistry.subject\"?");
    }

    @Test
    void namesTheFieldOfEveryOptionThatCannotWork() {
        assertThat(refusal("{\"kafka\": {\"key\": \".x\"}}")).contains("field \"kafka.topic\": is required");
        assertThat(refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"compression\": \"brotli\"}}"))
                .contains("field \"kafka.compression\": must be one of none, gzip, snappy, lz4, zstd");
        assertThat(refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"acks\": \"1\", \"idempotence\": true}}"))
                .contains("field \"kafka.idempotence\": true needs \"acks\": \"all\"");
        assertThat(refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"lingerMs\": -1}}"))
                .contains("field \"kafka.lingerMs\"");
        assertThat(refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"schemaRegistry\": {\"url\": \"ftp://r\"}}}"))
                .contains("field \"kafka.schemaRegistry.url\": must be an absolute http(s) url");
        assertThat(refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"schemaRegistry\": {\"url\": \"http://r\","
                + " \"format\": \"PROTOBUF\"}}}")).contains("field \"kafka.schemaRegistry.format\": must be JSON or AVRO");
        assertThat(refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"schemaRegistry\": {\"url\": \"http://r\","
                + " \"username\": \"u\"}}}")).contains("field \"kafka.schemaRegistry.password\": is missing");
    }

    @Test
    void aPasswordFromTheEnvironmentMustBeSetAndReadable() {
        String refused = refusal("{\"kafka\": {\"topic\": \"\\\"t\\\"\", \"schemaRegistry\": {\"url\": \"http://r\","
                + " \"username\": \"u\", \"password\": \"env.PORT_CLIENT_SECRET\"}}}");

        assertThat(refused).contains("field \"kafka.schemaRegistry.password\": reads environment variable "
                + "PORT_CLIENT_SECRET, which is not set or not readable").doesNotContain("s3cr3t-value");
    }
}
