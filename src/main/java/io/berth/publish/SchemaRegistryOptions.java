package io.berth.publish;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.config.Secret;

/**
 * A {@code kafka} entry's {@code schemaRegistry}: a registry speaking Confluent's REST API, the
 * subject whose latest schema the value must follow, and how the value is written.
 *
 * @param url the registry's base url (Apicurio: {@code .../apis/ccompat/v7}), without a trailing slash
 * @param subject the subject, where {@code {topic}} stands for the run's topic (default {@code {topic}-value},
 *        Confluent's topic name strategy)
 * @param format JSON or AVRO; empty: the subject's own {@code schemaType}
 * @param wireFormat whether the value is framed as Confluent's serializers do (magic byte 0, the
 *        schema id as 4 bytes big-endian, then the payload)
 * @param username with {@code password}, HTTP basic authentication
 */
public record SchemaRegistryOptions(URI url, String subject, Optional<SchemaFormat> format, boolean wireFormat,
        Optional<String> username, Optional<Secret> password) {

    /** The keys of a {@code schemaRegistry} object. */
    public static final List<String> KEYS = List.of("url", "subject", "format", "wireFormat", "username",
            "password");

    static final String TOPIC_PLACEHOLDER = "{topic}";
    private static final Pattern ENV_REFERENCE = Pattern.compile("env\\.([A-Za-z_][A-Za-z0-9_]*)");

    public SchemaRegistryOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Reads a {@code schemaRegistry} object (its unknown keys already refused).
     *
     * @param environment reads {@code env.NAME} in {@code username} and {@code password}: the
     *        variable's value, empty when it is not set or not readable by mappings
     */
    public static SchemaRegistryOptions from(JsonNode node, Function<String, Optional<String>> environment)
            throws InvalidPublishOption {
        URI url = url(node.get("url"));
        String subject = text(node, "subject").orElse(TOPIC_PLACEHOLDER + "-value");
        if (subject.isBlank()) {
            throw new InvalidPublishOption("schemaRegistry.subject", "must not be blank");
        }
        Optional<SchemaFormat> format = Optional.empty();
        Optional<String> formatText = text(node, "format");
        if (formatText.isPresent()) {
            try {
                format = Optional.of(SchemaFormat.valueOf(formatText.get().trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidPublishOption("schemaRegistry.format", "must be JSON or AVRO, was \""
                        + formatText.get() + "\"");
            }
        }
        boolean wireFormat = true;
        JsonNode wire = node.get("wireFormat");
        if (wire != null && !wire.isNull()) {
            if (!wire.isBoolean()) {
                throw new InvalidPublishOption("schemaRegistry.wireFormat", "must be true or false, was " + wire);
            }
            wireFormat = wire.booleanValue();
        }
        Optional<String> username = resolved(node, "username", environment);
        Optional<String> password = resolved(node, "password", environment);
        if (username.isPresent() != password.isPresent()) {
            throw new InvalidPublishOption("schemaRegistry." + (username.isPresent() ? "password" : "username"),
                    "is missing: give both username and password, or neither");
        }
        return new SchemaRegistryOptions(url, subject, format, wireFormat, username, password.map(Secret::of));
    }

    /** The subject for a run publishing to {@code topic}. */
    public String subjectFor(String topic) {
        return subject.replace(TOPIC_PLACEHOLDER, topic);
    }

    private static URI url(JsonNode node) throws InvalidPublishOption {
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw new InvalidPublishOption("schemaRegistry.url", "is required: the registry's base url, e.g. "
                    + "\"http://schema-registry:8081\"");
        }
        String text = node.textValue().trim();
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                throw new InvalidPublishOption("schemaRegistry.url", "must be an absolute http(s) url without "
                        + "query nor credentials (use username and password), was \"" + uri.getHost() + "\"");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidPublishOption("schemaRegistry.url", "is not a url: " + e.getReason());
        }
    }

    private static Optional<String> text(JsonNode node, String field) throws InvalidPublishOption {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidPublishOption("schemaRegistry." + field, "must be a string");
        }
        return Optional.of(value.textValue());
    }

    /** A literal, or {@code env.NAME}: the variable's value, which must be set. Never echoed in errors. */
    private static Optional<String> resolved(JsonNode node, String field,
            Function<String, Optional<String>> environment) throws InvalidPublishOption {
        Optional<String> value = text(node, field);
        if (value.isEmpty()) {
            return value;
        }
        var reference = ENV_REFERENCE.matcher(value.get().trim());
        if (!reference.matches()) {
            return value;
        }
        String name = reference.group(1);
        return Optional.of(environment.apply(name).orElseThrow(() -> new InvalidPublishOption(
                "schemaRegistry." + field, "reads environment variable " + name
                        + ", which is not set or not readable by mappings (PORT_*, KAFKA_*, BERTH_* never are)")));
    }

    @Override
    public String toString() {
        // The password stays out of every log line and message.
        return "SchemaRegistryOptions[" + url + ", subject " + subject + ", format " + format.map(Enum::name)
                .orElse("(the subject's)") + ", wireFormat " + wireFormat + (username.isPresent() ? ", basic auth" : "")
                + "]";
    }
}
