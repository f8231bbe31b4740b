package io.berth.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;

/**
 * The production jar with the five example handlers present and none configured, as users run it
 * without {@code BERTH_*} handler settings: once ready, the JVM has loaded no class of the handlers'
 * libraries, and none of the handlers' own beans, settings checks or Kubernetes client were made.
 * This covers what the handlers' own classes cannot show: what CDI and their extensions load at
 * start-up (quarkus-kubernetes-client registered every fabric8 model class at static init).
 */
class InactiveHandlersJarIT {

    /** Packages of JGit, Flyway, the PostgreSQL driver and the Kubernetes model. */
    static final List<String> HANDLER_LIBRARIES = List.of("org.eclipse.jgit.", "org.flywaydb.", "org.postgresql.",
            "io.fabric8.kubernetes.api.model.");

    /** The packages of the five example handlers, as a class-load line names them. */
    static final List<String> EXAMPLE_PACKAGES = Stream.of("scaffold", "database", "migration", "deploy", "scale")
            .map(name -> " io.berth.handlers." + name + ".").toList();

    /** The fabric8 types quarkus-kubernetes-client's producers name, loaded with their beans. */
    static final List<String> PRODUCED_TYPES = List.of("Client", "Config", "KubernetesClient",
            "KubernetesClientException", "SundrioConfig", "utils.KubernetesSerialization");

    @Test
    void loadsNoClassOfTheHandlersLibrariesWhileTheyAreInactive() throws Exception {
        Path classLog = Path.of("target", "jar-it", "inactive-handlers-classes.log").toAbsolutePath();
        Files.createDirectories(classLog.getParent());
        Files.deleteIfExists(classLog);
        try (JarWorld world = JarWorld.start(16, 0)) {
            KafkaBrokerResource.createTopic("org_inactive_handlers.runs", 1);
            Map<String, String> env = world.env("org_inactive_handlers");
            env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
            try (BerthProcess berth = BerthProcess.start("inactive-handlers", env)) {
                await().atMost(Duration.ofSeconds(120)).until(berth::ready);
                Thread.sleep(3000); // as the bench reads its counters: start-up's stragglers included

                List<String> loaded = Files.readAllLines(classLog);
                assertThat(berth.output()).contains("java:ScaleService is not offered: BERTH_SCALE_NAMESPACES is not set");
                assertThat(loaded).as("the class log is read")
                        .anyMatch(line -> line.contains(" io.berth.handlers.scale.ScaleService "));
                assertThat(loaded).filteredOn(line -> HANDLER_LIBRARIES.stream().anyMatch(line::contains)).isEmpty();
                assertThat(loaded).as("classes only a made handler or a Kubernetes client loads")
                        .filteredOn(InactiveHandlersJarIT::madeOnly).isEmpty();
            }
        }
    }

    /**
     * Whether a class-load line names what only a made handler (its client proxy, its settings check)
     * or a built Kubernetes client loads. CDI loads each handler's bean class, its {@code _Bean} and
     * its {@code @ConfigMapping} whatever the configuration, and the extension's producers, which it
     * marks unremovable, with the fabric8 types they name ({@link #PRODUCED_TYPES}).
     */
    static boolean madeOnly(String line) {
        boolean example = EXAMPLE_PACKAGES.stream().anyMatch(line::contains);
        boolean clientClass = line.contains(" io.fabric8.kubernetes.client.")
                && PRODUCED_TYPES.stream().noneMatch(type -> line.contains(" io.fabric8.kubernetes.client." + type + " "));
        return example && (line.contains("_ClientProxy ") || line.contains("SettingsCheck")) || clientClass;
    }
}
