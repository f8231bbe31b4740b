package io.berth.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;

/**
 * The production jar with the five example handlers present and none configured, as users run it
 * without {@code BERTH_*} handler settings: once ready, the JVM has loaded no class of the handlers'
 * libraries. This covers what the handlers' own classes cannot show: what their extensions load at
 * start-up (quarkus-kubernetes-client registered every fabric8 model class at static init).
 */
class InactiveHandlersJarIT {

    /** Packages of JGit, Flyway, the PostgreSQL driver and the Kubernetes model. */
    static final List<String> HANDLER_LIBRARIES = List.of("org.eclipse.jgit.", "org.flywaydb.", "org.postgresql.",
            "io.fabric8.kubernetes.api.model.");

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
            }
        }
    }
}
