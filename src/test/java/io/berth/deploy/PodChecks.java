package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What every pod template that runs Berth must hold, wherever it comes from (the Deployment, the
 * Knative Service, the Helm chart's rendering): each Secret and ConfigMap it reads exists, its probes
 * are the health endpoints Berth serves on a port the container declares, it runs as uid 1000 on a
 * read-only root with a writable /tmp.
 */
final class PodChecks {

    /** The paths Berth serves for probes (SmallRye Health), checked against the jar by BerthPackagedIT. */
    static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");

    private PodChecks() {
    }

    static void check(JsonNode podSpec, Manifests objects) {
        JsonNode container = podSpec.path("containers").path(0);
        assertThat(container.isObject()).as("a container").isTrue();
        referencedObjectsExist(podSpec, container, objects);
        probesAreBerthsHealthOnAServedPort(container);
        runsAsUid1000OnAReadOnlyRoot(podSpec, container);
    }

    static void referencedObjectsExist(JsonNode podSpec, JsonNode container, Manifests objects) {
        List<String[]> wanted = new ArrayList<>();
        container.path("envFrom").forEach(from -> {
            if (from.has("secretRef")) {
                wanted.add(new String[] {"Secret", from.at("/secretRef/name").asText()});
            }
            if (from.has("configMapRef")) {
                wanted.add(new String[] {"ConfigMap", from.at("/configMapRef/name").asText()});
            }
        });
        container.path("env").forEach(env -> {
            JsonNode secret = env.at("/valueFrom/secretKeyRef");
            if (secret.isObject() && !secret.path("optional").asBoolean(false)) {
                wanted.add(new String[] {"Secret", secret.path("name").asText()});
            }
        });
        podSpec.path("volumes").forEach(volume -> {
            if (volume.has("configMap")) {
                wanted.add(new String[] {"ConfigMap", volume.at("/configMap/name").asText()});
            }
            if (volume.has("secret")) {
                wanted.add(new String[] {"Secret", volume.at("/secret/secretName").asText()});
            }
        });
        assertThat(wanted).isNotEmpty();
        for (String[] reference : wanted) {
            assertThat(objects.find(reference[0], reference[1])).as(reference[0] + " " + reference[1]).isPresent();
        }
        Set<String> volumes = new HashSet<>();
        podSpec.path("volumes").forEach(volume -> volumes.add(volume.path("name").asText()));
        container.path("volumeMounts").forEach(mount -> assertThat(volumes).contains(mount.path("name").asText()));
    }

    static void probesAreBerthsHealthOnAServedPort(JsonNode container) {
        Set<String> ports = new HashSet<>();
        container.path("ports").forEach(port -> {
            ports.add(port.path("name").asText());
            ports.add(port.path("containerPort").asText());
        });
        assertThat(ports).contains("8080");
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.isObject()).as(probe).isTrue();
            assertThat(HEALTH_PATHS).as(probe + " path").contains(get.path("path").asText());
            if (get.has("port")) { // Knative's probes name no port: they go to the container's
                assertThat(ports).as(probe + " port").contains(get.path("port").asText());
            }
        }
    }

    static void runsAsUid1000OnAReadOnlyRoot(JsonNode podSpec, JsonNode container) {
        assertThat(podSpec.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(podSpec.at("/securityContext/runAsUser").asInt()).isEqualTo(1000);
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(mount -> mounts.add(mount.path("mountPath").asText()));
        assertThat(mounts).contains("/tmp");
    }
}
