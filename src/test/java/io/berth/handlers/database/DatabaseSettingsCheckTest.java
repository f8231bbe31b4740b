package io.berth.handlers.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.config.Secret;

class DatabaseSettingsCheckTest {

    @TempDir
    Path secrets;

    record Settings(Optional<String> adminUrl, Optional<String> adminUser, Optional<Secret> adminPassword,
            Optional<Path> secretDir, String secretSink, Optional<String> secretNamespace, String secretName,
            String blueprint, String serviceRelation, int connectTimeoutSeconds) implements DatabaseSettings {
    }

    Settings with(String url, String user, Path secretDir) {
        return new Settings(Optional.ofNullable(url), Optional.ofNullable(user), Optional.of(Secret.of("pw")),
                Optional.ofNullable(secretDir), "file", Optional.empty(), "{database}-credentials", "database",
                "service", 10);
    }

    /** BERTH_DATABASE_SECRET_SINK=kubernetes with {@code namespace} and {@code name}, no secret directory. */
    static Settings kubernetes(String namespace, String name) {
        return new Settings(Optional.of("jdbc:postgresql://127.0.0.1:1/postgres"), Optional.of("admin"),
                Optional.of(Secret.of("pw")), Optional.empty(), "kubernetes", Optional.ofNullable(namespace), name,
                "database", "service", 10);
    }

    @Test
    void theKubernetesSinkNeedsANamespaceAndANamePatternInsteadOfADirectory() {
        assertThat(DatabaseSettingsCheck.problems(kubernetes("shop", "{database}-credentials"))).isEmpty();
        assertThat(DatabaseSettingsCheck.problems(kubernetes(null, "{database}-credentials"))).singleElement()
                .asString().startsWith("BERTH_DATABASE_SECRET_NAMESPACE is not set: with BERTH_DATABASE_SECRET_SINK=kubernetes");
        assertThat(DatabaseSettingsCheck.problems(kubernetes("Shop_1", "{database}-credentials"))).singleElement()
                .asString().startsWith("BERTH_DATABASE_SECRET_NAMESPACE is 'Shop_1', not a namespace name");
        assertThat(DatabaseSettingsCheck.problems(kubernetes("shop", "credentials"))).singleElement().asString()
                .startsWith("BERTH_DATABASE_SECRET_NAME is 'credentials': it needs {database}");
        assertThat(DatabaseSettingsCheck.problems(kubernetes("shop", "DB_{database}"))).singleElement().asString()
                .startsWith("BERTH_DATABASE_SECRET_NAME is 'DB_{database}'");
    }

    @Test
    void refusesASinkThatIsNeitherFileNorKubernetes() {
        Settings vault = new Settings(Optional.of("jdbc:postgresql://db/postgres"), Optional.of("admin"), Optional.empty(),
                Optional.of(secrets), "vault", Optional.empty(), "{database}-credentials", "database", "service", 10);
        assertThat(DatabaseSettingsCheck.problems(vault)).singleElement().asString()
                .startsWith("BERTH_DATABASE_SECRET_SINK is 'vault': set it to file");
    }

    @Test
    void isInactiveWithoutAnAdminUrl() {
        assertThat(DatabaseSettingsCheck.inactiveReason(with(null, null, null)))
                .contains("BERTH_DATABASE_ADMIN_URL is not set");
        assertThat(DatabaseSettingsCheck.problems(with(null, null, null))).isEmpty();
    }

    @Test
    void needsTheAdminUserAndASecretDirectoryOnceTheUrlIsGiven() {
        assertThat(DatabaseSettingsCheck.problems(with("jdbc:postgresql://db:5432/postgres", "admin", secrets)))
                .isEmpty();
        assertThat(DatabaseSettingsCheck.problems(with("jdbc:postgresql://db:5432/postgres", null, null)))
                .anyMatch(p -> p.startsWith("BERTH_DATABASE_ADMIN_USER is not set"))
                .anyMatch(p -> p.startsWith("BERTH_DATABASE_SECRET_DIR is not set"));
    }

    @Test
    void refusesAnotherDatabaseAndAPasswordInTheUrl() {
        assertThat(DatabaseSettingsCheck.problems(with("jdbc:mysql://db/x", "admin", secrets)))
                .singleElement().asString().startsWith("BERTH_DATABASE_ADMIN_URL must be a PostgreSQL JDBC URL");
        assertThat(DatabaseSettingsCheck.problems(with("jdbc:postgresql://db/postgres?password=hunter2", "admin",
                secrets))).singleElement().asString().contains("carries a password").doesNotContain("hunter2");
    }

    @Test
    void databaseNamesNeedNoQuotingAndAreNotPostgresqlsOwn() {
        assertThat(DatabaseName.problem("name", "payments_2")).isEmpty();
        assertThat(DatabaseName.problem("name", "Payments-DB")).get().asString()
                .isEqualTo("Database name 'Payments-DB' is not valid: use 1 to 63 lower-case letters, digits and '_', "
                        + "starting with a letter, e.g. payments_db");
        assertThat(DatabaseName.problem("name", "template1")).get().asString().contains("reserved");
        assertThat(DatabaseName.problem("name", "pg_x")).get().asString().contains("reserved");
        assertThat(DatabaseName.problem("database", " ")).get().asString().contains("Input 'database' is missing");
    }

    @Test
    void theFileSinkWritesAnOwnerOnlyFilePerDatabaseAndRemovesIt() throws Exception {
        FileSecretSink sink = new FileSecretSink(secrets);

        sink.store("payments", Map.of("PGPASSWORD", "s3cret"));

        Path file = secrets.resolve("payments.env");
        assertThat(sink.exists("payments")).isTrue();
        assertThat(Files.readString(file)).isEqualTo("PGPASSWORD=s3cret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(secrets)) {
            assertThat(left).containsExactly(file);
        }
        sink.remove("payments");
        assertThat(sink.exists("payments")).isFalse();
    }
}
