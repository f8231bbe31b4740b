package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code deploy/kubernetes} and {@code deploy/knative}, parsed (every file, every document) and held
 * to what Berth needs: required fields, the objects they refer to, the probes Berth serves, the
 * ports, a grace that covers the drain, KEDA from 0 to N, Knative from 0 with an ordered KafkaSource
 * that retries and keeps what it gives up on. No Kubernetes schema validator can be had here (no
 * kubeconform binary, no network to the schemas), so the fields are checked by hand.
 */
class DeployManifestsTest {

    static final Manifests KUBERNETES = Manifests.under(Path.of("deploy/kubernetes"));
    static final Manifests KNATIVE = Manifests.under(Path.of("deploy/knative"));

    @Test
    void everyDocumentIsAnObjectWithApiVersionKindAndName() {
        assertThat(KUBERNETES.plus(KNATIVE).all()).hasSizeGreaterThan(8).allSatisfy(manifest -> {
            assertThat(manifest.object().path("apiVersion").asText()).as(manifest.file() + " apiVersion").isNotBlank();
            assertThat(manifest.kind()).as(manifest.file() + " kind").isNotBlank();
            assertThat(manifest.name()).as(manifest.file() + " metadata.name").isNotBlank();
        });
    }

    @Test
    void theKustomizationsNameEveryFileAndOnlyExistingOnes() throws Exception {
        for (String dir : List.of("deploy/kubernetes", "deploy/knative")) {
            JsonNode kustomization = Manifests.YAML.readTree(Path.of(dir, "kustomization.yaml").toFile());
            List<String> resources = new ArrayList<>();
            kustomization.path("resources").forEach(resource -> resources.add(resource.asText()));
            assertThat(resources).allSatisfy(resource -> assertThat(Path.of(dir, resource)).exists());
            try (var files = Files.list(Path.of(dir))) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("kustomization.yaml")))
                        .allSatisfy(file -> assertThat(resources).contains(file));
            }
        }
    }

    @Test
    void theDeploymentReadsExistingObjectsProbesBerthsHealthAndRunsAsNonRoot() {
        JsonNode pod = KUBERNETES.one("Deployment").object().at("/spec/template/spec");

        PodChecks.check(pod, KUBERNETES);
        assertThat(pod.at("/containers/0/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        assertThat(pod.at("/containers/0/resources/requests/memory").asText()).isNotBlank();
        assertThat(pod.at("/containers/0/resources/limits/memory").asText()).isNotBlank();
    }

    @Test
    void theTerminationGraceCoversTheShutdownGraceAndTheRevocationDrain() {
        JsonNode pod = KUBERNETES.one("Deployment").object().at("/spec/template/spec");
        JsonNode config = KUBERNETES.find("ConfigMap", "berth-config").orElseThrow().object().path("data");

        Duration needed = duration(config.path("BERTH_RUNS_SHUTDOWN_GRACE").asText())
                .plus(duration(config.path("BERTH_RUNS_REVOCATION_DRAIN").asText())).plusSeconds(5);
        assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong())).isGreaterThanOrEqualTo(needed);
    }

    @Test
    void theFilesThePathsNameAreInTheMountedConfigMap() throws Exception {
        JsonNode files = KUBERNETES.find("ConfigMap", "berth-files").orElseThrow().object().path("data");
        JsonNode config = KUBERNETES.find("ConfigMap", "berth-config").orElseThrow().object().path("data");
        JsonNode mount = KUBERNETES.one("Deployment").object().at("/spec/template/spec/containers/0/volumeMounts/0");

        String mapping = config.path("CONTROL_THE_PAYLOAD_CONFIG_PATH").asText();
        assertThat(mapping).startsWith(mount.path("mountPath").asText() + "/");
        String key = mapping.substring(mapping.lastIndexOf('/') + 1);
        JsonNode entries = new ObjectMapper().readTree(files.path(key).asText());
        assertThat(entries.isArray()).isTrue();
        assertThat(entries).allSatisfy(entry -> assertThat(entry.path("enabled").isTextual()).isTrue());
        assertThat(Manifests.YAML.readTree(files.path("triggers.yaml").asText()).path("triggers").isArray()).isTrue();
        assertThat(new ObjectMapper().readTree(files.path("bridge.json").asText()).at("/kafka/topics").isArray()).isTrue();
    }

    @Test
    void theServiceAndTheBudgetSelectTheDeploymentsPodsOnItsPort() {
        JsonNode deployment = KUBERNETES.one("Deployment").object();
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        JsonNode service = KUBERNETES.one("Service").object();
        JsonNode budget = KUBERNETES.one("PodDisruptionBudget").object();

        assertThat(matches(service.at("/spec/selector"), labels)).isTrue();
        assertThat(matches(budget.at("/spec/selector/matchLabels"), labels)).isTrue();
        assertThat(matches(deployment.at("/spec/selector/matchLabels"), labels)).isTrue();
        assertThat(service.at("/spec/ports/0/targetPort").asText())
                .isEqualTo(deployment.at("/spec/template/spec/containers/0/ports/0/name").asText());
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    }

    @Test
    void kedaScalesTheDeploymentFromZeroOnTheRunsLagWithExistingCredentials() {
        JsonNode scaled = KUBERNETES.one("ScaledObject").object();
        JsonNode auth = KUBERNETES.find("TriggerAuthentication", scaled.at("/spec/triggers/0/authenticationRef/name")
                .asText()).orElseThrow().object();

        assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo(KUBERNETES.one("Deployment").name());
        assertThat(scaled.at("/spec/minReplicaCount").asInt()).isZero();
        assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isPositive();
        assertThat(scaled.at("/spec/triggers/0/type").asText()).isEqualTo("kafka");
        assertThat(scaled.at("/spec/triggers/0/metadata/topic").asText()).endsWith(".runs");
        auth.at("/spec/secretTargetRef").forEach(ref -> {
            JsonNode secret = KUBERNETES.find("Secret", ref.path("name").asText()).orElseThrow().object();
            assertThat(secret.path("stringData").has(ref.path("key").asText())).as(ref.toString()).isTrue();
        });
    }

    @Test
    void theKnativeServiceScalesToZeroAndTakesPushedRecords() {
        Manifests objects = KNATIVE.plus(KUBERNETES);
        JsonNode service = KNATIVE.one("Service").object();
        JsonNode template = service.at("/spec/template");

        assertThat(service.path("apiVersion").asText()).isEqualTo("serving.knative.dev/v1");
        assertThat(template.at("/metadata/annotations/autoscaling.knative.dev~1min-scale").asText()).isEqualTo("0");
        PodChecks.check(template.path("spec"), objects);
        Map<String, String> env = env(template.at("/spec/containers/0"));
        assertThat(env).containsEntry("BERTH_CLOUDEVENTS_ENABLED", "true");
        // A push waits for its run: the Service's request timeout must outlast the answer's bound.
        assertThat(Duration.ofSeconds(template.at("/spec/timeoutSeconds").asLong()))
                .isGreaterThan(duration(env.get("BERTH_CLOUDEVENTS_ANSWER_WITHIN")));
    }

    @Test
    void theKafkaSourcePushesPortsTopicsInOrderToCloudEventsRetriesAndDeadLetters() {
        JsonNode source = KNATIVE.one("KafkaSource").object().path("spec");
        JsonNode service = KNATIVE.one("Service").object();
        Map<String, String> env = env(service.at("/spec/template/spec/containers/0"));

        assertThat(source.path("ordering").asText()).isEqualTo("ordered");
        assertThat(KNATIVE.one("KafkaSource").object()
                .at("/metadata/annotations/kafka.eventing.knative.dev~1delivery.order").asText()).isEqualTo("ordered");
        assertThat(source.at("/sink/ref/kind").asText()).isEqualTo("Service");
        assertThat(source.at("/sink/ref/name").asText()).isEqualTo(service.at("/metadata/name").asText());
        assertThat(source.at("/sink/uri").asText()).isEqualTo("/cloudevents");
        List<String> topics = new ArrayList<>();
        source.path("topics").forEach(topic -> topics.add(topic.asText()));
        assertThat(topics).anyMatch(topic -> topic.endsWith(".runs")).anyMatch(topic -> topic.endsWith(".change.log"));
        assertThat(source.at("/delivery/retry").asInt()).isPositive();
        assertThat(Duration.parse(source.at("/delivery/timeout").asText()))
                .isGreaterThan(duration(env.get("BERTH_CLOUDEVENTS_ANSWER_WITHIN")));
        JsonNode deadLetters = source.at("/delivery/deadLetterSink/ref");
        assertThat(KNATIVE.find(deadLetters.path("kind").asText(), deadLetters.path("name").asText())).isPresent();
        source.at("/net/sasl").forEach(field -> {
            if (field.has("secretKeyRef")) {
                JsonNode secret = KNATIVE.find("Secret", field.at("/secretKeyRef/name").asText()).orElseThrow().object();
                assertThat(secret.path("stringData").has(field.at("/secretKeyRef/key").asText())).isTrue();
            }
        });
    }

    @Test
    void noManifestCarriesARealLookingSecret() {
        assertThat(KUBERNETES.plus(KNATIVE).ofKind("Secret")).allSatisfy(secret -> secret.object().path("stringData")
                .fields().forEachRemaining(field -> {
                    if (field.getKey().matches("(?i).*(secret|password|token).*")) {
                        assertThat(field.getValue().asText()).isEqualTo("replace-me");
                    }
                }));
    }

    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new java.util.HashMap<>();
        container.path("env").forEach(entry -> env.put(entry.path("name").asText(), entry.path("value").asText()));
        return env;
    }

    static boolean matches(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        List<Boolean> each = new ArrayList<>();
        selector.fields().forEachRemaining(field -> each.add(field.getValue().equals(labels.path(field.getKey()))));
        return !each.contains(false);
    }

    /** Berth's durations as its configuration reads them: {@code 25s}, {@code 5m}, or ISO-8601. */
    static Duration duration(String text) {
        if (text.startsWith("P")) {
            return Duration.parse(text);
        }
        return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
    }
}
