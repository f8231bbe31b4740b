package io.berth.handlers.migration;

import java.nio.file.Path;
import java.util.Optional;

import io.berth.config.Secret;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code BERTH_MIGRATION_*}: where {@code run_migration} finds migrations and the databases they go to. */
@ConfigMapping(prefix = "berth.migration")
public interface MigrationSettings {

    /** The placeholder of {@link #url()} that the database name replaces. */
    String DATABASE = "{database}";

    /**
     * {@code BERTH_MIGRATION_LOCATION}: a directory with one directory of Flyway SQL migrations
     * ({@code V1__create_accounts.sql}, ...) per migration set, e.g. {@code /srv/migrations/payments/}.
     */
    Optional<Path> location();

    /** {@code BERTH_MIGRATION_URL}: the JDBC URL of a database, with {@code {database}}, e.g. {@code jdbc:postgresql://db:5432/{database}}. */
    Optional<String> url();

    /** {@code BERTH_MIGRATION_USER}: the user Flyway connects as. */
    Optional<String> user();

    /** {@code BERTH_MIGRATION_PASSWORD}: that user's password. */
    Optional<Secret> password();

    /** {@code BERTH_MIGRATION_CONNECT_TIMEOUT_SECONDS}: how long connecting to the database may take. */
    @WithDefault("10")
    int connectTimeoutSeconds();
}
