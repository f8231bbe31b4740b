package io.berth.handlers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import io.berth.testing.PostgresCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The backends of the Port POC handlers, and the settings that make those handlers active: a
 * template and a directory of bare repositories for {@code scaffold_service}, a throwaway PostgreSQL
 * cluster ({@link PostgresCluster}) and a secret directory for {@code create_database}, the test
 * migrations for {@code run_migration}. A runs topic of its own keeps other test classes' runs away.
 *
 * <p>Without PostgreSQL the database handlers stay unconfigured (inactive) and their tests are
 * skipped, unless {@code CI=true}: then the missing server fails the tests.
 */
public final class PortPocResource implements QuarkusTestResourceLifecycleManager {

    static final String RUNS_TOPIC = "org_test.poc.runs";
    static final String EVENTS_PREFIX = "it.poc";

    private static final Logger LOG = Logger.getLogger(PortPocResource.class);

    private static volatile Path base;
    private static volatile PostgresCluster postgres;

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createDirectories(Path.of("target", "port-poc").toAbsolutePath());
            base = Files.createTempDirectory(root, "run-");
            Map<String, String> config = new HashMap<>();
            config.put("kafka.runs-topic", RUNS_TOPIC);
            config.put("berth.runs.dead-letter-topic", RUNS_TOPIC + ".dlq");
            config.put("berth.events.enabled", "true");
            config.put("berth.events.topic-prefix", EVENTS_PREFIX);
            config.put("berth.scaffold.template-dir", template().toString());
            config.put("berth.scaffold.remote-url", "file://" + remotes() + "/{name}.git");
            config.put("berth.scaffold.web-url", "https://git.example.com/acme/{name}");
            config.put("berth.scaffold.work-dir", Files.createDirectories(workDir()).toString());
            if (PostgresCluster.binaries().isPresent() || "true".equals(System.getenv("CI"))) {
                postgres = PostgresCluster.start(root);
                config.put("berth.database.admin-url", postgres.url("postgres"));
                config.put("berth.database.admin-user", PostgresCluster.SUPERUSER);
                config.put("berth.database.admin-password", postgres.password());
                config.put("berth.database.secret-dir", Files.createDirectory(secretDir(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toString());
                config.put("berth.migration.location", Path.of("src/test/resources/port-poc/migrations")
                        .toAbsolutePath().toString());
                config.put("berth.migration.url", postgres.url("{database}"));
                config.put("berth.migration.user", PostgresCluster.SUPERUSER);
                config.put("berth.migration.password", postgres.password());
            } else {
                LOG.warn("No PostgreSQL server under /usr/lib/postgresql: create_database and run_migration stay "
                        + "inactive and their tests are skipped (apt-get install -y postgresql to run them)");
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        PostgresCluster running = postgres;
        if (running != null) {
            running.close();
            postgres = null;
        }
    }

    /** The running cluster, or null without PostgreSQL. */
    static PostgresCluster postgres() {
        return postgres;
    }

    static Path remotes() throws IOException {
        return Files.createDirectories(base.resolve("remotes"));
    }

    static Path workDir() {
        return base.resolve("work");
    }

    static Path secretDir() {
        return base.resolve("secrets");
    }

    /**
     * A service template: placeholders in names and text, a binary file (copied as it is) and an
     * executable script (which stays executable).
     */
    private static Path template() throws IOException {
        Path template = Files.createDirectories(base.resolve("template"));
        Files.writeString(template.resolve("README.md"), "# {{service_name}}\n\n{{description}}\n", StandardCharsets.UTF_8);
        Path config = Files.createDirectories(template.resolve("src").resolve("{{service_name}}"));
        Files.writeString(config.resolve("application.properties"), "service.name={{service_name}}\n",
                StandardCharsets.UTF_8);
        Files.write(template.resolve("logo.bin"), binary());
        Path script = Files.writeString(template.resolve("run.sh"), "#!/bin/sh\nexec java -jar {{service_name}}.jar\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return template;
    }

    /** Bytes that are not text, with a placeholder inside that must stay as it is. */
    static byte[] binary() {
        byte[] placeholder = "{{service_name}}".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[placeholder.length + 4];
        bytes[0] = (byte) 0x89;
        bytes[1] = 0;
        System.arraycopy(placeholder, 0, bytes, 2, placeholder.length);
        return bytes;
    }
}
