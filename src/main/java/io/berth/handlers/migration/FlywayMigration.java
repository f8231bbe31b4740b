package io.berth.handlers.migration;

import java.nio.file.Path;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The one class that uses Flyway: migrates one database from one directory, with Flyway's plain API
 * (no Quarkus extension, so nothing of Flyway is loaded or configured at start-up).
 */
final class FlywayMigration {

    /** One migration Flyway applied. */
    record Applied(String version, String description, int millis) {
    }

    /** What a migration did: the schema's version before and after, and what was applied between. */
    record Outcome(String from, String to, List<Applied> applied) {
    }

    /** Flyway refused or failed; the message is Flyway's. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    private FlywayMigration() {
    }

    static Outcome migrate(MigrationSettings settings, String database, Path migrations) throws Failed {
        String url = settings.url().orElseThrow().replace(MigrationSettings.DATABASE, database);
        String separator = url.contains("?") ? "&" : "?";
        url = url + separator + "connectTimeout=" + settings.connectTimeoutSeconds() + "&ApplicationName=berth%20run_migration";
        try {
            MigrateResult result = Flyway.configure(FlywayMigration.class.getClassLoader())
                    .dataSource(url, settings.user().orElse(null), settings.password().map(p -> p.reveal()).orElse(null))
                    .locations("filesystem:" + migrations.toAbsolutePath())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            List<Applied> applied = result.migrations.stream()
                    .map(m -> new Applied(m.version, m.description, m.executionTime)).toList();
            return new Outcome(result.initialSchemaVersion, result.targetSchemaVersion, applied);
        } catch (FlywayException e) {
            throw new Failed(e.getMessage());
        }
    }
}
