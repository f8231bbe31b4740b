package io.berth.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.berth.command.CapabilityReport;
import io.berth.command.Check;
import io.berth.command.Served;
import io.berth.command.TopicUse;
import io.berth.config.BerthSettings;
import io.berth.config.MappingFileSettings;
import io.berth.publish.PublishSettings;
import io.berth.publish.SchemaRegistryOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * port-agent's mapping file for {@code validate} and {@code list}: read as {@link WebhookInvoker}
 * reads it, each entry with what it does, the topics its {@code kafka} entries name, and whether
 * each schema registry they use answers ({@code GET /subjects}, one request each, within
 * {@code BERTH_PUBLISH_REGISTRY_TIMEOUT}).
 */
@ApplicationScoped
final class MappingFileReport implements CapabilityReport {

    private final MappingFileSettings settings;
    private final BerthSettings berth;
    private final PublishSettings publish;

    @Inject
    MappingFileReport(MappingFileSettings settings, BerthSettings berth, PublishSettings publish) {
        this.settings = settings;
        this.berth = berth;
        this.publish = publish;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public List<Check> checks() {
        if (settings.configPath().isEmpty()) {
            return List.of(Check.ok("mapping file", "none (CONTROL_THE_PAYLOAD_CONFIG_PATH is not set: only Java "
                    + "handlers run)"));
        }
        MappingFile file;
        try {
            file = load().orElseThrow();
        } catch (InvalidMappingFileException e) {
            return List.of(Check.fail("mapping file", e.getMessage()));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(Check.ok("mapping file", file.source() + ": " + file.mappings().size() + " entr"
                + (file.mappings().size() == 1 ? "y" : "ies")));
        registries(file).forEach((url, registry) -> checks.add(registry(url, registry)));
        return checks;
    }

    @Override
    public List<TopicUse> topics() {
        return loaded().map(file -> file.mappings().stream().filter(mapping -> mapping.kafka().isPresent())
                .filter(mapping -> mapping.kafka().get().topic() instanceof Template.Literal literal
                        && literal.value().isTextual())
                .map(mapping -> TopicUse.of(((Template.Literal) mapping.kafka().get().topic()).value().textValue(),
                        "written by mapping[" + mapping.index() + "]"))
                .toList()).orElse(List.of());
    }

    @Override
    public List<Served> served() {
        return loaded().map(file -> file.mappings().stream().map(MappingFileReport::served).toList()).orElse(List.of());
    }

    private static Served served(Mapping mapping) {
        String when = mapping.enabled() instanceof Mapping.Enabled.When expression
                ? "runs where " + expression.expression().text() : ((Mapping.Enabled.Always) mapping.enabled()).value()
                        ? "every run" : "no run (enabled: false)";
        String target = mapping.kafka().map(kafka -> "publish to Kafka topic " + describe(kafka.topic()))
                .orElseGet(() -> "webhook " + mapping.method().map(MappingFileReport::describe).orElse("POST") + " "
                        + mapping.url().map(MappingFileReport::describe).orElse("(the action's invocation url)"));
        return new Served("action", "mapping[" + mapping.index() + "]", when + " -> " + target);
    }

    /** A field as written: jq text or a literal; a url's query string is left out (it may carry a token). */
    private static String describe(Template template) {
        String text = template instanceof Template.Expression expression ? expression.expression().text()
                : template instanceof Template.Literal literal ? literal.value().asText() : "(an object of jq)";
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query) + "?...";
    }

    private Optional<MappingFile> loaded() {
        try {
            return load();
        } catch (InvalidMappingFileException e) {
            return Optional.empty();
        }
    }

    private Optional<MappingFile> load() {
        return settings.configPath().map(path -> MappingFile.load(Path.of(path),
                Jq.withSystemEnvironment(berth.mapping().envAllow())));
    }

    private static Map<URI, SchemaRegistryOptions> registries(MappingFile file) {
        Map<URI, SchemaRegistryOptions> registries = new LinkedHashMap<>();
        file.mappings().forEach(mapping -> mapping.kafka().flatMap(KafkaTarget::registry)
                .ifPresent(registry -> registries.putIfAbsent(registry.url(), registry)));
        return registries;
    }

    private Check registry(URI url, SchemaRegistryOptions registry) {
        String subject = "schema registry " + url;
        Duration timeout = publish.registryTimeout();
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(url.getPath().endsWith("/") ? "subjects"
                : url.getPath() + "/subjects")).timeout(timeout).GET();
        if (registry.username().isPresent() && registry.password().isPresent()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((registry.username().get()
                    + ":" + registry.password().get().reveal()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
            int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 401 || status == 403) {
                return Check.fail(subject, "refused the credentials (" + status + "): check the mapping's "
                        + "schemaRegistry username and password");
            }
            return status / 100 == 2 ? Check.ok(subject, "answers") : Check.fail(subject, "answered " + status
                    + " to GET /subjects: check the mapping's schemaRegistry.url");
        } catch (java.io.IOException e) {
            return Check.fail(subject, "not reachable within " + timeout.toSeconds() + " s (" + e.getClass().getSimpleName()
                    + "): check the mapping's schemaRegistry.url");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(subject, "interrupted");
        }
    }
}
