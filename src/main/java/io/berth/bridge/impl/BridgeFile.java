package io.berth.bridge.impl;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.berth.bridge.BridgeConfiguration;
import io.berth.bridge.BridgeConfiguration.ConsumerOptions;
import io.berth.bridge.BridgeConfiguration.RequestResponseRoute;
import io.berth.bridge.InvalidBridgeFile;
import io.berth.bridge.Subscription;

/**
 * Reads and validates {@code BERTH_BRIDGE_PATH}: JSON, or YAML when the name ends in {@code .yaml}
 * or {@code .yml}; a whole kafka-hooks {@code platformatic.json} (its {@code kafka} section is read,
 * Watt's other keys are ignored) or that section alone. Watt's {@code {ENV}} placeholders are
 * replaced ({@link Placeholders}). Every problem is listed at once, naming the entry and the field.
 *
 * <pre>
 * {"brokers": [..], "concurrency": 10, "consumer": {"groupId", "mode", "fallbackMode", ...},
 *  "topics": [{"topic", "url", "method", "headers", "retries", "retryDelay", "dlq",
 *              "includeAttemptInRequests",                                     (kafka-hooks)
 *              "backoff", "timeout", "ordering", "maxInFlight", "batch", "auth"}],   (Berth)
 *  "requestResponse": [{"path", "requestTopic", "responseTopic", "timeout"}],
 *  "publish": ["topic", ..], "httpOpen": false}                              (Berth)
 * </pre>
 *
 * Unknown keys of the section and of an entry are refused (a misspelt option must not be ignored);
 * the {@code consumer} object takes any @platformatic/kafka consumer option, and uses those that
 * kafka-clients has ({@link ConsumerReader}).
 */
public final class BridgeFile {

    static final Set<String> SECTION_KEYS = Set.of("brokers", "topics", "consumer", "concurrency",
            "requestResponse", "serialization", "publish", "httpOpen");
    private static final Set<String> TOPIC_KEYS = Set.of("topic", "url", "method", "headers", "retries",
            "retryDelay", "dlq", "includeAttemptInRequests", "backoff", "timeout", "ordering", "maxInFlight", "batch",
            "auth");
    private static final Set<String> ROUTE_KEYS = Set.of("path", "requestTopic", "responseTopic", "timeout");

    private BridgeFile() {
    }

    /**
     * Reads and checks the file at {@code path}, its Watt placeholders taken from Berth's
     * configuration: the environment first, as Watt reads them, then any other configuration source
     * (a test's, a profile's). The bridge's consumers and its HTTP endpoints both read the file so.
     */
    public static BridgeConfiguration load(Path path) {
        Config config = ConfigProvider.getConfig();
        return load(path, name -> config.getOptionalValue(name, String.class).orElse(null));
    }

    /** @param env reads an environment variable, null when unset */
    public static BridgeConfiguration load(Path path, Function<String, String> env) {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidBridgeFile("Bridge file " + path + " (BERTH_BRIDGE_PATH) not found: check the path, "
                    + "or unset BERTH_BRIDGE_PATH to run without the bridge");
        } catch (IOException e) {
            throw new InvalidBridgeFile("Bridge file " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return parse(content, path.toString(), name.endsWith(".yaml") || name.endsWith(".yml"), env);
    }

    /** @param source names the file in messages */
    public static BridgeConfiguration parse(String content, String source, boolean yaml, Function<String, String> env) {
        ObjectMapper mapper = yaml ? new YAMLMapper() : new ObjectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(content);
        } catch (JsonProcessingException e) {
            throw new InvalidBridgeFile("Bridge file " + source + " is not valid " + (yaml ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage() + (e.getLocation() == null ? ""
                            : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        JsonNode section = section(root);
        if (section == null) {
            throw new InvalidBridgeFile("Bridge file " + source + " must be a kafka-hooks platformatic.json (an object "
                    + "with a \"kafka\" object) or its kafka section (an object with \"brokers\" and \"topics\")");
        }
        List<String> problems = new ArrayList<>();
        Placeholders.resolve(section, "", env, problems);
        BridgeConfiguration configuration = read(new Fields(section, "", problems), env, problems);
        if (!problems.isEmpty()) {
            throw new InvalidBridgeFile("Bridge file " + source + " cannot be used:\n  - "
                    + String.join("\n  - ", problems));
        }
        return configuration;
    }

    /** The {@code kafka} object of a whole platformatic.json, or the root when it is that section itself. */
    private static JsonNode section(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        if (root.has("kafka")) {
            return root.get("kafka").isObject() ? root.get("kafka") : null;
        }
        boolean isSection = false;
        for (String key : SECTION_KEYS) {
            isSection |= root.has(key);
        }
        return isSection ? root : null;
    }

    private static BridgeConfiguration read(Fields section, Function<String, String> env, List<String> problems) {
        section.refuseUnknown(SECTION_KEYS);
        if (section.has("serialization")) {
            section.problem("serialization", "names a JavaScript module, which Berth cannot load: remove it (Berth "
                    + "passes record values through unchanged)");
        }
        List<String> brokers = new ArrayList<>();
        for (String item : section.textList("brokers")) {
            // A placeholder such as {PLT_KAFKA_BROKER} may hold several brokers, comma-separated.
            for (String broker : item.split(",")) {
                if (!broker.isBlank()) {
                    brokers.add(broker.trim());
                }
            }
        }
        int concurrency = section.integer("concurrency", 1, BridgeConfiguration.DEFAULT_CONCURRENCY);
        ConsumerOptions consumer = ConsumerReader.read(section.object("consumer", "with groupId"), problems);
        List<Subscription> subscriptions = subscriptions(section, concurrency, env, problems);
        List<RequestResponseRoute> routes = routes(section, problems);
        List<String> publish = section.textList("publish");
        if (subscriptions.isEmpty() && routes.isEmpty() && publish.isEmpty() && problems.isEmpty()) {
            section.problem("topics", "is empty, and there is no requestResponse nor publish: the bridge would do "
                    + "nothing; add a topic, e.g. {\"topic\": \"orders\", \"url\": \"https://api.example.com/orders\"}");
        }
        // Open only when the file says so: a kafka-hooks file used as is gets closed endpoints.
        boolean httpOpen = section.bool("httpOpen", false);
        return new BridgeConfiguration(brokers, subscriptions, consumer, concurrency, routes, publish, httpOpen);
    }

    private static List<Subscription> subscriptions(Fields section, int concurrency, Function<String, String> env,
            List<String> problems) {
        List<Subscription> subscriptions = new ArrayList<>();
        JsonNode topics = section.get("topics");
        if (topics == null || topics.isNull()) {
            return subscriptions;
        }
        if (!topics.isArray()) {
            section.problem("topics", "must be a list of {topic, url, ...} entries");
            return subscriptions;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < topics.size(); i++) {
            JsonNode entry = topics.get(i);
            String topic = entry.path("topic").isTextual() ? entry.get("topic").textValue() : null;
            String where = "topics[" + i + "]" + (topic == null ? "" : " (topic '" + topic + "')");
            if (!entry.isObject()) {
                problems.add(where + " must be an object with at least topic and url");
                continue;
            }
            Fields fields = new Fields(entry, where, problems);
            fields.refuseUnknown(TOPIC_KEYS);
            Optional<Subscription> subscription = SubscriptionReader.read(fields, concurrency, env);
            if (topic != null && !seen.add(topic)) {
                fields.problem("topic", "is consumed by an earlier entry already: give each topic one entry");
            }
            subscription.ifPresent(subscriptions::add);
        }
        return subscriptions;
    }

    private static List<RequestResponseRoute> routes(Fields section, List<String> problems) {
        List<RequestResponseRoute> routes = new ArrayList<>();
        JsonNode list = section.get("requestResponse");
        if (list == null || list.isNull()) {
            return routes;
        }
        if (!list.isArray()) {
            section.problem("requestResponse", "must be a list of {path, requestTopic, responseTopic, timeout}");
            return routes;
        }
        Map<String, Integer> paths = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String path = entry.path("path").isTextual() ? entry.get("path").textValue() : null;
            Fields fields = new Fields(entry, "requestResponse[" + i + "]" + (path == null ? "" : " (path '" + path + "')"),
                    problems);
            if (!entry.isObject()) {
                fields.problem("", "must be an object with path, requestTopic and responseTopic");
                continue;
            }
            fields.refuseUnknown(ROUTE_KEYS);
            path = fields.required("path", "\"/api/process/:id\"");
            if (path != null && !path.startsWith("/")) {
                fields.problem("path", "must start with '/', e.g. \"/api/process/:id\"");
            }
            if (path != null && paths.putIfAbsent(path, i) != null) {
                fields.problem("path", "is used by requestResponse[" + paths.get(path) + "] already");
            }
            String requestTopic = fields.required("requestTopic", "\"process-requests\"");
            String responseTopic = fields.required("responseTopic", "\"process-responses\"");
            Duration timeout = fields.duration("timeout", Duration.ofMillis(1), RequestResponseRoute.DEFAULT_TIMEOUT);
            if (path != null && requestTopic != null && responseTopic != null) {
                routes.add(new RequestResponseRoute(path, requestTopic, responseTopic, timeout));
            }
        }
        return routes;
    }

    /** Whether {@code url} is an absolute http(s) url with a host. */
    static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }
}
