package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code deploy/helm/berth}, checked without Helm: no Helm binary can be had on these machines (no Go
 * toolchain recent enough to build it, none in the registries reached), so the chart is not rendered
 * here. In its place: the values keep port-agent's names, every value a template reads is declared,
 * a values file written for port-agent's chart sets nothing the chart does not know, the templates'
 * blocks are balanced, and the probes and metrics paths are the ones Berth serves. Run
 * {@code helm template deploy/helm/berth -f your-port-agent-values.yaml} where Helm is installed.
 */
class HelmChartTest {

    static final Path CHART = Path.of("deploy/helm/berth");
    static final Pattern VALUE_REFERENCE = Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
    static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(if|with|range|define|end)\\b");

    /** port-agent's chart's values (issue 13 §5): a user's values file sets these. */
    static final List<String> PORT_AGENT_VALUES = List.of("image", "replicaCount", "env.normal", "env.secret",
            "secret.name", "secret.annotations", "secret.useExistingSecret", "controlThePayloadConfig",
            "selfSignedCertificate.enabled", "selfSignedCertificate.certificate", "selfSignedCertificate.secret.name",
            "selfSignedCertificate.secret.key", "selfSignedCertificate.secret.useExistingSecret", "podAnnotations",
            "extraLabels", "podServiceAccount.name", "podSecurityContext", "containerSecurityContext", "extraVolumes",
            "extraVolumeMounts", "rolloutStrategy", "resources", "nodeSelector", "tolerations", "affinity");

    static JsonNode values() throws IOException {
        return Manifests.YAML.readTree(CHART.resolve("values.yaml").toFile());
    }

    static Map<String, String> templates() throws IOException {
        Map<String, String> templates = new TreeMap<>();
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            for (Path file : files.toList()) {
                templates.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return templates;
    }

    static boolean declared(JsonNode values, String dotted) {
        JsonNode node = values;
        for (String part : dotted.split("\\.")) {
            if (!node.has(part)) {
                return false;
            }
            node = node.get(part);
        }
        return true;
    }

    @Test
    void theChartIsAnApplicationChartNamedBerth() throws Exception {
        JsonNode chart = Manifests.YAML.readTree(CHART.resolve("Chart.yaml").toFile());

        assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.path("name").asText()).isEqualTo("berth");
        assertThat(chart.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(chart.path("appVersion").asText()).isNotBlank();
    }

    @Test
    void theValuesKeepPortAgentsNames() throws Exception {
        JsonNode values = values();

        assertThat(PORT_AGENT_VALUES).allSatisfy(name -> assertThat(declared(values, name)).as(name).isTrue());
    }

    @Test
    void aPortAgentValuesFileSetsNothingTheChartDoesNotDeclare() throws Exception {
        JsonNode values = values();
        JsonNode portAgent = Manifests.YAML.readTree(Path.of("src/test/resources/deploy/port-agent-values.yaml").toFile());

        List<String> unknown = new ArrayList<>();
        collectUnknown(portAgent, values, "", unknown);
        assertThat(unknown).isEmpty();
    }

    /** Keys of {@code given} with no counterpart in {@code declared}; free-form maps (env, labels) stop the walk. */
    static void collectUnknown(JsonNode given, JsonNode declared, String prefix, List<String> unknown) {
        given.fields().forEachRemaining(field -> {
            String name = prefix + field.getKey();
            if (!declared.has(field.getKey())) {
                unknown.add(name);
            } else if (field.getValue().isObject() && declared.get(field.getKey()).isObject()
                    && !declared.get(field.getKey()).isEmpty() && !name.matches("env\\.(normal|secret)|resources.*|podSecurityContext|containerSecurityContext")) {
                collectUnknown(field.getValue(), declared.get(field.getKey()), name + ".", unknown);
            }
        });
    }

    @Test
    void everyValueATemplateReadsIsDeclared() throws Exception {
        JsonNode values = values();

        templates().forEach((file, text) -> {
            Matcher reference = VALUE_REFERENCE.matcher(text);
            while (reference.find()) {
                String path = reference.group(1).substring(1);
                // env.normal's keys are the user's: PORT_ORG_ID may be read without being declared elsewhere.
                assertThat(declared(values, path) || path.startsWith("env.normal.")).as(file + ": .Values." + path)
                        .isTrue();
            }
        });
    }

    @Test
    void everyTemplateClosesWhatItOpens() throws Exception {
        templates().forEach((file, text) -> {
            int depth = 0;
            Matcher action = ACTION.matcher(text);
            while (action.find()) {
                depth += action.group(1).equals("end") ? -1 : 1;
                assertThat(depth).as(file + " at " + action.start()).isNotNegative();
            }
            assertThat(depth).as(file).isZero();
        });
    }

    @Test
    void theProbesAndTheScrapeAreBerthsPathsOnTheHttpPort() throws Exception {
        JsonNode values = values();
        String deployment = templates().get("deployment.yaml");

        values.path("probes").forEach(probe -> assertThat(PodChecks.HEALTH_PATHS).contains(probe.path("path").asText()));
        assertThat(values.at("/metrics/path").asText()).isEqualTo("/q/metrics");
        assertThat(deployment).contains("containerPort: 8080").contains("port: http");
        assertThat(templates().get("service.yaml")).contains("targetPort: http");
        assertThat(templates().get("servicemonitor.yaml")).contains("port: http");
    }

    @Test
    void theDeploymentReadsTheSecretAndFilesTheChartWrites() throws Exception {
        Map<String, String> templates = templates();

        assertThat(templates.get("deployment.yaml")).contains("name: {{ include \"berth.secretName\" . }}")
                .contains("name: {{ include \"berth.fullname\" . }}-files")
                .contains("/usr/local/share/ca-certificates/cert.crt");
        assertThat(templates.get("secret.yaml")).contains("name: {{ include \"berth.secretName\" . }}");
        assertThat(templates.get("configmap.yaml")).contains("name: {{ include \"berth.fullname\" . }}-files")
                .contains("CONTROL_THE_PAYLOAD_CONFIG_PATH: /etc/berth/control-the-payload.json")
                .contains("control-the-payload.json:").contains("BERTH_TRIGGERS_PATH: /etc/berth/triggers.yaml")
                .contains("triggers.yaml:").contains("BERTH_BRIDGE_PATH: /etc/berth/bridge.json").contains("bridge.json:");
    }

    @Test
    void theDefaultsRunAsUid1000OnAReadOnlyRootWithAGraceThatCoversTheDrain() throws Exception {
        JsonNode values = values();

        assertThat(values.at("/podSecurityContext/runAsUser").asInt()).isEqualTo(1000);
        assertThat(values.at("/containerSecurityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        long needed = DeployManifestsTest.duration(values.path("shutdownGrace").asText())
                .plus(DeployManifestsTest.duration(values.path("revocationDrain").asText())).toSeconds() + 5;
        assertThat(values.path("terminationGracePeriodSeconds").asLong()).isGreaterThanOrEqualTo(needed);
        assertThat(values.at("/keda/minReplicaCount").asInt()).isZero();
    }
}
