package io.berth.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.berth.publish.InvalidPublishOption;
import io.berth.publish.ProducerOptions;
import io.berth.publish.SchemaRegistryOptions;

import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * port-agent's "control the payload" file: a JSON array of {@link Mapping}s, read and compiled once
 * at start-up. Anything wrong with it is an {@link InvalidMappingFileException} then, never a
 * surprise on the first run.
 *
 * <p>Fields follow port-agent's pydantic model: {@code enabled} (boolean or jq, default true),
 * {@code method}, {@code url} (jq), {@code headers}, {@code query} (object with jq leaves, or jq),
 * {@code body} (object or list with jq leaves, or jq), {@code report} ({@code status}, {@code link},
 * {@code summary}, {@code externalRunId}, and Berth's {@code statusLabel}: jq),
 * {@code fieldsToDecryptPaths} (list of dot paths), and Berth's {@code kafka} ({@link KafkaTarget}) in
 * place of the webhook's keys. A null field counts as absent. Any other key, in
 * an entry or in its {@code report}, is refused: pydantic would ignore it, and a typo such as
 * {@code urll} would then silently let the record choose the url.
 */
final class MappingFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** port-agent's {@code Mapping} fields, by their JSON names. */
    static final List<String> ENTRY_KEYS = List.of("enabled", "method", "url", "headers", "query", "body", "report",
            "fieldsToDecryptPaths", "kafka");

    /** Berth's {@code kafka} object: jq fields, then the producer options and the registry. */
    static final List<String> KAFKA_KEYS = Stream.of(List.of("topic", "key", "headers", "value"),
            ProducerOptions.KEYS, List.of("schemaRegistry")).flatMap(List::stream).toList();

    /** The keys that shape a webhook request or read its answer: meaningless beside {@code kafka}. */
    static final List<String> WEBHOOK_ONLY_KEYS = List.of("method", "url", "headers", "query", "body", "report");

    /** port-agent's {@code ActionReport} fields, and Berth's {@code statusLabel}. */
    static final List<String> REPORT_KEYS = List.of("status", "link", "summary", "externalRunId", "statusLabel");

    private final String source;
    private final List<Mapping> mappings;

    private MappingFile(String source, List<Mapping> mappings) {
        this.source = source;
        this.mappings = List.copyOf(mappings);
    }

    static MappingFile empty() {
        return new MappingFile("(none)", List.of());
    }

    static MappingFile load(Path path, Jq jq) {
        Objects.requireNonNull(path, "path");
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidMappingFileException("Mapping file " + path + " not found");
        } catch (IOException e) {
            throw new InvalidMappingFileException("Mapping file " + path + " cannot be read: " + e, e);
        }
        return parse(content, path.toString(), jq);
    }

    /** @param source names the file in error messages */
    static MappingFile parse(String content, String source, Jq jq) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(jq, "jq");
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new InvalidMappingFileException("Mapping file " + source + " is not valid JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isArray()) {
            throw new InvalidMappingFileException("Mapping file " + source + " must hold a JSON array of mappings");
        }
        List<Mapping> mappings = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            mappings.add(new EntryReader(source, i, jq).read(root.get(i)));
        }
        return new MappingFile(source, mappings);
    }

    /** The first mapping that claims {@code message}, as port-agent's {@code _find_mapping}. */
    Optional<Mapping> match(JsonNode message) {
        for (Mapping mapping : mappings) {
            if (mapping.appliesTo(message)) {
                return Optional.of(mapping);
            }
        }
        return Optional.empty();
    }

    List<Mapping> mappings() {
        return mappings;
    }

    String source() {
        return source;
    }

    /** Reads one entry, naming it and the field in every error. */
    private static final class EntryReader {

        private final String source;
        private final int index;
        private final Jq jq;

        EntryReader(String source, int index, Jq jq) {
            this.source = source;
            this.index = index;
            this.jq = jq;
        }

        Mapping read(JsonNode entry) {
            if (!entry.isObject()) {
                throw invalid(null, "must be an object, was " + entry.getNodeType().name().toLowerCase());
            }
            refuseUnknownKeys(entry, ENTRY_KEYS, "");
            Optional<KafkaTarget> kafka = kafka(entry);
            return new Mapping(index,
                    enabled(entry.get("enabled")),
                    expressionTemplate(entry, "method"),
                    expressionTemplate(entry, "url"),
                    objectOrExpression(entry, "headers", false),
                    objectOrExpression(entry, "query", false),
                    objectOrExpression(entry, "body", true),
                    report(entry.get("report")),
                    paths(entry.get("fieldsToDecryptPaths")),
                    kafka);
        }

        private Optional<KafkaTarget> kafka(JsonNode entry) {
            JsonNode node = entry.get("kafka");
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isObject()) {
                throw invalid("kafka", "must be an object with at least \"topic\"");
            }
            for (String webhookKey : WEBHOOK_ONLY_KEYS) {
                JsonNode other = entry.get(webhookKey);
                if (other != null && !other.isNull()) {
                    throw invalid(webhookKey, "an entry with \"kafka\" publishes instead of calling a webhook: remove \""
                            + webhookKey + "\"" + (webhookKey.equals("headers") || webhookKey.equals("body")
                                    ? " (use kafka." + (webhookKey.equals("body") ? "value" : "headers") + ")" : ""));
                }
            }
            refuseUnknownKeys(node, KAFKA_KEYS, "kafka.");
            if (node.get("topic") == null || node.get("topic").isNull()) {
                throw invalid("kafka.topic", "is required: jq naming the topic, e.g. \"\\\"user-events\\\"\"");
            }
            Template topic = expressionTemplate(node, "topic").orElseThrow();
            try {
                Optional<SchemaRegistryOptions> registry = Optional.empty();
                JsonNode registryNode = node.get("schemaRegistry");
                if (registryNode != null && !registryNode.isNull()) {
                    if (!registryNode.isObject()) {
                        throw invalid("kafka.schemaRegistry", "must be an object with at least \"url\"");
                    }
                    refuseUnknownKeys(registryNode, SchemaRegistryOptions.KEYS, "kafka.schemaRegistry.");
                    registry = Optional.of(SchemaRegistryOptions.from(registryNode, this::environment));
                }
                return Optional.of(new KafkaTarget(topic,
                        objectOrExpression(node, "key", true),
                        objectOrExpression(node, "headers", false),
                        objectOrExpression(node, "value", true),
                        ProducerOptions.from(node), registry));
            } catch (InvalidPublishOption e) {
                throw invalid("kafka." + e.field(), e.getMessage());
            }
        }

        /** {@code env.NAME} as jq reads it: the same names a mapping may read, the same refusals. */
        private Optional<String> environment(String name) {
            JsonNode value = expression("env." + name, "env." + name).evaluate(NullNode.getInstance());
            return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
        }

        private Mapping.Enabled enabled(JsonNode node) {
            if (node == null) {
                return new Mapping.Enabled.Always(true); // pydantic's default
            }
            if (node.isBoolean()) {
                return new Mapping.Enabled.Always(node.booleanValue());
            }
            if (node.isTextual()) {
                return new Mapping.Enabled.When(expression("enabled", node.textValue()));
            }
            throw invalid("enabled", "must be a boolean or a jq string");
        }

        private Optional<Template> expressionTemplate(JsonNode entry, String field) {
            JsonNode node = entry.get(field);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isTextual()) {
                throw invalid(field, "must be a jq string");
            }
            return Optional.of(template(node, field));
        }

        private Optional<Template> objectOrExpression(JsonNode entry, String field, boolean listAllowed) {
            JsonNode node = entry.get(field);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (node.isTextual() || node.isObject() || (listAllowed && node.isArray())) {
                return Optional.of(template(node, field));
            }
            throw invalid(field, listAllowed ? "must be an object, a list or a jq string"
                    : "must be an object or a jq string");
        }

        private Optional<Mapping.Report> report(JsonNode node) {
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isObject()) {
                throw invalid("report", "must be an object");
            }
            refuseUnknownKeys(node, REPORT_KEYS, "report.");
            return Optional.of(new Mapping.Report(
                    reportField(node, "status"),
                    reportField(node, "link"),
                    reportField(node, "summary"),
                    reportField(node, "externalRunId"),
                    reportField(node, "statusLabel")));
        }

        private Optional<JqExpression> reportField(JsonNode report, String name) {
            JsonNode node = report.get(name);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isTextual()) {
                throw invalid("report." + name, "must be a jq string");
            }
            return Optional.of(expression("report." + name, node.textValue()));
        }

        private List<String> paths(JsonNode node) {
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw invalid("fieldsToDecryptPaths", "must be a list of strings");
            }
            List<String> paths = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                JsonNode path = node.get(i);
                if (!path.isTextual() || path.textValue().isBlank()) {
                    throw invalid("fieldsToDecryptPaths[" + i + "]", "must be a non-empty dot path string");
                }
                paths.add(path.textValue());
            }
            return paths;
        }

        private void refuseUnknownKeys(JsonNode object, List<String> known, String prefix) {
            for (var names = object.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw invalid(prefix + name, "unknown key"
                            + ClosestName.to(name, known).map(close -> ", did you mean \"" + prefix + close + "\"?")
                                    .orElse("")
                            + " (known: " + String.join(", ", known) + ")");
                }
            }
        }

        private Template template(JsonNode node, String field) {
            try {
                return Template.compile(node, field, jq);
            } catch (Template.TemplateException e) {
                throw invalid(e.field(), e.getMessage());
            }
        }

        private JqExpression expression(String field, String text) {
            try {
                return jq.compile(text);
            } catch (JsonQueryException e) {
                throw invalid(field, "jq does not compile: " + e.getMessage());
            }
        }

        private InvalidMappingFileException invalid(String field, String problem) {
            return new InvalidMappingFileException("Mapping file " + source + ", entry [" + index + "]"
                    + (field == null ? "" : ", field \"" + field + "\"") + ": " + problem);
        }
    }
}
