package io.berth.triggers.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.berth.config.KafkaSecurity;
import io.berth.config.Secret;
import io.berth.triggers.InvalidTriggersFile;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerDefinition.Ordering;
import io.berth.triggers.TriggerDefinition.Target;
import io.berth.webhook.DirectWebhook;
import io.berth.webhook.Jq;
import io.berth.webhook.JqTemplate;

/**
 * Reads and validates {@code BERTH_TRIGGERS_PATH}: JSON, or YAML when the name ends in
 * {@code .yaml}/{@code .yml}; a list of triggers, or an object whose {@code triggers} is that list.
 * Every problem of every entry is listed at once, each naming the entry (index and id), the field
 * and the fix. Unknown keys are refused: a misspelt option must not be silently ignored.
 *
 * <pre>
 * {"id": "orders", "type": "kafka",
 *  "configuration": {"topic", "consumer_group", "brokers", "from_beginning", "session_timeout_ms",
 *                    "heartbeat_interval_ms", "max_in_flight", "ordering", "dlq",
 *                    "security": {"protocol", "sasl_mechanism", "sasl_username", "sasl_password_env",
 *                                 "ssl_cafile", "ssl_certfile", "ssl_keyfile", "ssl_key_password_env"}},
 *  "target": {"handler": name} | {"webhook": {"url", "method", "headers"}}
 *          | {"port_action": {"action", "entity", "properties"}}}
 * </pre>
 */
final class TriggersFile {

    static final int DEFAULT_MAX_IN_FLIGHT = 16;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<String> ENTRY_KEYS = Set.of("id", "type", "configuration", "target");
    private static final Set<String> CONFIGURATION_KEYS = Set.of("topic", "consumer_group", "brokers",
            "from_beginning", "session_timeout_ms", "heartbeat_interval_ms", "max_in_flight", "ordering", "dlq",
            "security");
    private static final Set<String> TARGET_KINDS = Set.of("handler", "webhook", "port_action");
    private static final Set<String> WEBHOOK_KEYS = Set.of("url", "method", "headers");
    private static final Set<String> PORT_ACTION_KEYS = Set.of("action", "entity", "properties");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");

    private TriggersFile() {
    }

    static List<TriggerDefinition> load(Path path, Jq jq) {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidTriggersFile("Triggers file " + path + " (BERTH_TRIGGERS_PATH) not found: "
                    + "check the path, or unset BERTH_TRIGGERS_PATH to run without triggers");
        } catch (IOException e) {
            throw new InvalidTriggersFile("Triggers file " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return parse(content, path.toString(), name.endsWith(".yaml") || name.endsWith(".yml"), jq);
    }

    /** @param source names the file in messages */
    static List<TriggerDefinition> parse(String content, String source, boolean yaml, Jq jq) {
        Config config = ConfigProvider.getConfig();
        return parse(content, source, yaml, jq, name -> config.getOptionalValue(name, String.class).orElse(null));
    }

    /**
     * @param env reads the environment variables that {@code configuration.security}'s {@code *_env}
     *        fields name (null when unset): the environment first, then other configuration sources
     */
    static List<TriggerDefinition> parse(String content, String source, boolean yaml, Jq jq,
            Function<String, String> env) {
        ObjectMapper mapper = yaml ? new YAMLMapper() : new ObjectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(content);
        } catch (JsonProcessingException e) {
            throw new InvalidTriggersFile("Triggers file " + source + " is not valid " + (yaml ? "YAML" : "JSON")
                    + ": " + e.getOriginalMessage() + (e.getLocation() == null ? ""
                            : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        JsonNode list = root != null && root.isObject() && root.size() == 1 && root.has("triggers")
                ? root.get("triggers") : root;
        if (list == null || !list.isArray()) {
            throw new InvalidTriggersFile("Triggers file " + source + " must hold a list of triggers, or an object "
                    + "whose only key is \"triggers\" with that list");
        }
        List<String> problems = new ArrayList<>();
        List<TriggerDefinition> triggers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Entry entry = new Entry(i, list.get(i), jq, env);
            Optional<TriggerDefinition> trigger = entry.read();
            problems.addAll(entry.problems);
            trigger.ifPresent(t -> {
                if (!ids.add(t.id())) {
                    problems.add(entry.where() + "id '" + t.id() + "' is used by an earlier entry: ids must be unique");
                }
                triggers.add(t);
            });
        }
        if (!problems.isEmpty()) {
            throw new InvalidTriggersFile("Triggers file " + source + " cannot be used:\n  - "
                    + String.join("\n  - ", problems));
        }
        return List.copyOf(triggers);
    }

    /** One entry: collects its problems, each prefixed with the entry's index and id. */
    private static final class Entry {

        private final int index;
        private final JsonNode node;
        private final Jq jq;
        private final Function<String, String> env;
        private final List<String> problems = new ArrayList<>();
        private String id;

        Entry(int index, JsonNode node, Jq jq, Function<String, String> env) {
            this.index = index;
            this.node = node;
            this.jq = jq;
            this.env = env;
        }

        String where() {
            return "entry #" + index + (id == null ? "" : " (id '" + id + "')") + ": ";
        }

        void problem(String field, String message) {
            problems.add(where() + field + " " + message);
        }

        Optional<TriggerDefinition> read() {
            if (!node.isObject()) {
                problems.add(where() + "must be an object with id, type, configuration and target");
                return Optional.empty();
            }
            JsonNode idNode = node.get("id");
            if (idNode != null && idNode.isTextual() && ID.matcher(idNode.textValue()).matches()) {
                id = idNode.textValue();
            } else {
                problem("id", idNode == null ? "is missing: give each trigger a unique id, e.g. \"id\": \"orders\""
                        : "must be letters, digits, '.', '_' or '-' (at most 100), e.g. \"orders-trigger\"");
            }
            unknownKeys(node, ENTRY_KEYS, "");
            JsonNode type = node.get("type");
            if (type == null || !"kafka".equals(type.asText(null))) {
                problem("type", type == null ? "is missing: set \"type\": \"kafka\""
                        : "must be \"kafka\" (the only trigger type Berth has), was " + type);
            }
            JsonNode configuration = node.get("configuration");
            if (configuration == null || !configuration.isObject()) {
                problem("configuration", "must be an object with at least \"topic\"");
                configuration = JsonNodeFactory.instance.objectNode();
            }
            unknownKeys(configuration, CONFIGURATION_KEYS, "configuration.");
            String topic = text(configuration, "configuration.", "topic", null);
            if (topic == null || topic.isBlank()) {
                problem("configuration.topic", "is missing: set it to the topic to consume, e.g. \"topic\": \"orders\"");
            }
            String group = text(configuration, "configuration.", "consumer_group", "berth-triggers-" + id);
            Optional<String> brokers = Optional.ofNullable(text(configuration, "configuration.", "brokers", null)).filter(b -> !b.isBlank());
            boolean fromBeginning = bool(configuration, "from_beginning", false);
            OptionalInt session = positive(configuration, "session_timeout_ms");
            OptionalInt heartbeat = positive(configuration, "heartbeat_interval_ms");
            if (session.isPresent() && heartbeat.isPresent() && heartbeat.getAsInt() >= session.getAsInt()) {
                problem("configuration.heartbeat_interval_ms", "must be lower than session_timeout_ms (a third of it "
                        + "is usual), was " + heartbeat.getAsInt() + " >= " + session.getAsInt());
            }
            int maxInFlight = positive(configuration, "max_in_flight").orElse(DEFAULT_MAX_IN_FLIGHT);
            Ordering ordering = ordering(configuration);
            String dlq = text(configuration, "configuration.", "dlq", topic + ".dlq");
            Optional<KafkaSecurity> security = security(configuration.get("security"));
            Target target = target(node.get("target"));
            if (!problems.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new TriggerDefinition(id, topic, group, brokers, fromBeginning, session, heartbeat,
                    maxInFlight, ordering, dlq, target, security));
        }

        private Target target(JsonNode target) {
            if (target == null || !target.isObject() || target.size() != 1
                    || !TARGET_KINDS.contains(target.fieldNames().next())) {
                problem("target", "must be an object with exactly one of handler (a TriggerHandler's name), webhook "
                        + "({url, method, headers}) or port_action ({action, entity, properties})");
                return null;
            }
            String kind = target.fieldNames().next();
            JsonNode spec = target.get(kind);
            return switch (kind) {
                case "handler" -> {
                    if (!spec.isTextual() || spec.textValue().isBlank()) {
                        problem("target.handler", "must be the name of a TriggerHandler bean, e.g. \"orders\"");
                        yield null;
                    }
                    yield new Target.Handler(spec.textValue());
                }
                case "webhook" -> webhook(spec);
                default -> portAction(spec);
            };
        }

        private Target webhook(JsonNode spec) {
            if (!spec.isObject()) {
                problem("target.webhook", "must be an object with url, and optionally method and headers");
                return null;
            }
            unknownKeys(spec, WEBHOOK_KEYS, "target.webhook.");
            String url = text(spec, "target.webhook.", "url", null);
            if (url == null || !DirectWebhook.isSendable(url)) {
                problem("target.webhook.url", "must be an absolute http(s) url, e.g. \"https://hooks.example.com/orders\"");
            }
            String method = text(spec, "target.webhook.", "method", "POST");
            method = method == null ? null : method.toUpperCase(Locale.ROOT);
            if (method != null && !METHODS.contains(method)) {
                problem("target.webhook.method", "must be one of " + METHODS + " (the envelope is the body), was '"
                        + method + "'");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode headerNode = spec.get("headers");
            if (headerNode != null && !headerNode.isNull()) {
                if (!headerNode.isObject()) {
                    problem("target.webhook.headers", "must be an object of header names to text values");
                } else {
                    headerNode.properties().forEach(header -> {
                        if (header.getValue().isValueNode() && !header.getValue().isNull()) {
                            headers.put(header.getKey(), header.getValue().asText());
                        } else {
                            problem("target.webhook.headers." + header.getKey(), "must be a text value");
                        }
                    });
                }
            }
            return url == null || method == null ? null : new Target.Webhook(url, method, headers);
        }

        private Target portAction(JsonNode spec) {
            if (!spec.isObject()) {
                problem("target.port_action", "must be an object with action, and optionally entity and properties");
                return null;
            }
            unknownKeys(spec, PORT_ACTION_KEYS, "target.port_action.");
            String action = text(spec, "target.port_action.", "action", null);
            if (action == null || action.isBlank()) {
                problem("target.port_action.action", "is missing: set the action's identifier, e.g. \"deploy_service\"");
            }
            JsonNode entity = spec.get("entity");
            if (entity != null && !entity.isNull()) {
                if (!entity.isTextual()) {
                    problem("target.port_action.entity", "must be a jq string over the envelope, e.g. \".key\"");
                } else {
                    compiles(entity, "target.port_action.entity");
                }
            }
            JsonNode properties = spec.get("properties");
            if (properties == null || properties.isNull()) {
                properties = JsonNodeFactory.instance.objectNode();
            } else if (properties.isObject() || properties.isTextual()) {
                compiles(properties, "target.port_action.properties");
            } else {
                problem("target.port_action.properties", "must be an object whose string values are jq over the "
                        + "envelope, or one jq string, e.g. {\"service\": \".message.service\"}");
            }
            return action == null ? null : new Target.PortAction(action,
                    Optional.ofNullable(entity).filter(JsonNode::isTextual), properties);
        }

        private void compiles(JsonNode template, String field) {
            try {
                JqTemplate.compile(template, field, jq);
            } catch (JqTemplate.Invalid e) {
                problem(e.field(), e.getMessage());
            }
        }

        private void unknownKeys(JsonNode object, Set<String> known, String prefix) {
            object.fieldNames().forEachRemaining(key -> {
                if (!known.contains(key)) {
                    problem(prefix + key, "is not a known key: use one of " + new TreeSet<>(known));
                }
            });
        }

        /**
         * {@code configuration.security}: the trigger's own TLS and SASL instead of {@code KAFKA_*}'s;
         * its passwords are read from the environment variables its {@code *_env} fields name.
         */
        private Optional<KafkaSecurity> security(JsonNode spec) {
            if (spec == null || spec.isNull()) {
                return Optional.empty();
            }
            String prefix = "configuration.security.";
            if (!spec.isObject()) {
                problem("configuration.security", "must be an object with protocol and its TLS or SASL fields, e.g. "
                        + "{\"protocol\": \"SASL_SSL\", \"sasl_mechanism\": \"SCRAM-SHA-512\", ...}");
                return Optional.empty();
            }
            unknownKeys(spec, KafkaSecurity.FIELDS, prefix);
            KafkaSecurity security = KafkaSecurity.ofFields(prefix, key -> text(spec, prefix, key, null),
                    key -> secretFromEnvironment(prefix + key, text(spec, prefix, key, null)));
            security.problems("PLAINTEXT").forEach(problem -> problems.add(where() + problem));
            return Optional.of(security);
        }

        private Secret secretFromEnvironment(String field, String variable) {
            if (variable == null || variable.isBlank()) {
                return null;
            }
            Optional<String> value = Optional.ofNullable(env.apply(variable)).filter(v -> !v.isEmpty());
            if (value.isEmpty()) {
                problem(field, "names " + variable + ", which is not set: set that environment variable to the password");
                return null;
            }
            return Secret.of(value.get());
        }

        private String text(JsonNode object, String prefix, String key, String fallback) {
            JsonNode value = object.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isTextual()) {
                problem(prefix + key, "must be a string");
                return null;
            }
            return value.textValue();
        }

        private boolean bool(JsonNode object, String key, boolean fallback) {
            JsonNode value = object.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isBoolean()) {
                problem("configuration." + key, "must be true or false");
            }
            return value.asBoolean(fallback);
        }

        private OptionalInt positive(JsonNode object, String key) {
            JsonNode value = object.get(key);
            if (value == null || value.isNull()) {
                return OptionalInt.empty();
            }
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1) {
                problem("configuration." + key, "must be a whole number of at least 1, was " + value);
                return OptionalInt.empty();
            }
            return OptionalInt.of(value.intValue());
        }

        private Ordering ordering(JsonNode object) {
            String value = text(object, "configuration.", "ordering", "key");
            if (value == null) {
                return Ordering.KEY;
            }
            try {
                return Ordering.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                problem("configuration.ordering", "must be key (one record at a time per key), partition or none, "
                        + "was '" + value + "'");
                return Ordering.KEY;
            }
        }
    }
}
