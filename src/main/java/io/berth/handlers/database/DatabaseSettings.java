package io.berth.handlers.database;

import java.nio.file.Path;
import java.util.Optional;

import io.berth.config.Secret;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code BERTH_DATABASE_*}: the PostgreSQL server {@code create_database} creates databases on. */
@ConfigMapping(prefix = "berth.database")
public interface DatabaseSettings {

    /**
     * {@code BERTH_DATABASE_ADMIN_URL}: the admin connection, e.g.
     * {@code jdbc:postgresql://db.internal:5432/postgres}; its user needs {@code CREATEDB} and
     * {@code CREATEROLE}.
     */
    Optional<String> adminUrl();

    /** {@code BERTH_DATABASE_ADMIN_USER}: the admin connection's user. */
    Optional<String> adminUser();

    /** {@code BERTH_DATABASE_ADMIN_PASSWORD}: the admin connection's password. */
    Optional<Secret> adminPassword();

    /**
     * {@code BERTH_DATABASE_SECRET_DIR}: where each new role's credentials go, one file
     * {@code <database>.env} per database, readable by Berth's user only (0600).
     */
    Optional<Path> secretDir();

    /**
     * {@code BERTH_DATABASE_SECRET_SINK}: where each new role's credentials go: {@code file} (a file in
     * {@code BERTH_DATABASE_SECRET_DIR}) or {@code kubernetes} (a Secret in
     * {@code BERTH_DATABASE_SECRET_NAMESPACE}, through Quarkus's Kubernetes client).
     */
    @WithDefault("file")
    String secretSink();

    /** {@code BERTH_DATABASE_SECRET_NAMESPACE}: the namespace of the Secrets, with {@code BERTH_DATABASE_SECRET_SINK=kubernetes}. */
    Optional<String> secretNamespace();

    /** {@code BERTH_DATABASE_SECRET_NAME}: the Secret's name, {@code {database}} standing for the database's ('_' as '-'). */
    @WithDefault("{database}-credentials")
    String secretName();

    /** {@code BERTH_DATABASE_BLUEPRINT}: the blueprint of the entity recorded in Port. */
    @WithDefault("database")
    String blueprint();

    /** {@code BERTH_DATABASE_SERVICE_RELATION}: the entity's relation that names its service. */
    @WithDefault("service")
    String serviceRelation();

    /** {@code BERTH_DATABASE_CONNECT_TIMEOUT_SECONDS}: how long connecting to the server may take. */
    @WithDefault("10")
    int connectTimeoutSeconds();
}
