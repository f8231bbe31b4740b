package io.berth.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * The example handlers cost nothing while inactive: a fresh JVM that builds each of them without
 * settings and asks why it is not offered loads no class of JGit, Flyway, the PostgreSQL driver or
 * the Kubernetes model. (What their extensions load at start-up: {@code io.berth.jar.InactiveHandlersJarIT}.)
 */
class InactiveExampleHandlersTest {

    static final List<List<String>> HANDLERS = List.of(
            List.of("io.berth.handlers.scaffold.ScaffoldService", "io.berth.handlers.scaffold.ScaffoldSettings"),
            List.of("io.berth.handlers.database.CreateDatabase", "io.berth.handlers.database.DatabaseSettings"),
            List.of("io.berth.handlers.migration.RunMigration", "io.berth.handlers.migration.MigrationSettings"),
            List.of("io.berth.handlers.scale.ScaleService", "io.berth.handlers.scale.ScaleSettings"));

    @Test
    void inactiveHandlersLoadNoneOfTheirLibraries() throws Exception {
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output).contains("ScaffoldService: BERTH_SCAFFOLD_REMOTE_URL and BERTH_SCAFFOLD_TEMPLATE_DIR are not set")
                .contains("CreateDatabase: BERTH_DATABASE_ADMIN_URL is not set")
                .contains("RunMigration: BERTH_MIGRATION_LOCATION is not set")
                .contains("ScaleService: BERTH_SCALE_NAMESPACES is not set")
                .contains("io.berth.handlers.scaffold.ScaffoldService source:");
        assertThat(output.lines()).noneMatch(line -> line.contains("org.eclipse.jgit") || line.contains("org.flywaydb")
                || line.contains("org.postgresql") || line.contains("io.fabric8.kubernetes.api.model"));
    }

    /**
     * Builds each handler with settings that give nothing (as without environment variables), and a
     * Kubernetes client supplier that is never asked where it takes one, and prints why it is inactive.
     */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            for (List<String> handler : HANDLERS) {
                Class<?> settingsType = Class.forName(handler.get(1));
                Object settings = Proxy.newProxyInstance(Probe.class.getClassLoader(), new Class<?>[] { settingsType },
                        (proxy, method, arguments) -> method.getReturnType() == Optional.class ? Optional.empty()
                                : method.getReturnType() == int.class ? (Object) 10 : "unset");
                Class<?> type = Class.forName(handler.get(0));
                Supplier<?> noClient = () -> {
                    throw new AssertionError("an inactive handler asked for its Kubernetes client");
                };
                BlockingActionHandler built;
                try {
                    Constructor<?> constructor = type.getDeclaredConstructor(settingsType, Supplier.class);
                    constructor.setAccessible(true);
                    built = (BlockingActionHandler) constructor.newInstance(settings, noClient);
                } catch (NoSuchMethodException noClientTaken) {
                    Constructor<?> constructor = type.getDeclaredConstructor(settingsType);
                    constructor.setAccessible(true);
                    built = (BlockingActionHandler) constructor.newInstance(settings);
                }
                System.out.println(built.getClass().getSimpleName() + ": " + built.inactiveReason().orElse("ACTIVE")
                        + " " + built.actions());
            }
        }
    }
}
