package io.berth.handlers.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.OfferedWhenSet;
import io.berth.handlers.RunResult;
import io.berth.handlers.database.DatabaseName;
import io.berth.runs.RunContext;
import jakarta.inject.Singleton;

/**
 * {@code run_migration}: Flyway's migrations from {@code BERTH_MIGRATION_LOCATION/<location>} against
 * database {@code <database>}. Each applied version is a line of the run's log; a Flyway error fails
 * the run with Flyway's message (Flyway rolls back the failed migration where PostgreSQL can, and its
 * history table records what was applied before it).
 *
 * <p>Inputs: {@code database} (unset: the entity the action ran on), {@code location} (the migrations' directory under
 * {@code BERTH_MIGRATION_LOCATION}; unset: the database's name).
 */
@Singleton // no client proxy: one class fewer loaded while it is not offered
@OfferedWhenSet({ "berth.migration.location" })
public class RunMigration implements BlockingActionHandler {

    private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    private final MigrationSettings settings;

    RunMigration(MigrationSettings settings) {
        this.settings = settings;
    }

    @Override
    public Optional<String> inactiveReason() {
        return MigrationSettingsCheck.inactiveReason(settings);
    }

    @Override
    public List<String> settingsProblems() {
        return MigrationSettingsCheck.problems(settings);
    }

    @Override
    public Set<String> actions() {
        return Set.of("run_migration");
    }

    @Override
    public RunResult handle(RunContext run) {
        String database = run.inputs().path("database").asText("").trim();
        if (database.isEmpty()) { // a day-2 action on a database entity: the entity is the database
            database = run.entity().map(entity -> entity.path("identifier").asText("")).orElse("");
        }
        Optional<String> invalid = DatabaseName.problem("database", database);
        if (invalid.isPresent()) {
            return RunResult.failure(invalid.get());
        }
        String location = run.inputs().path("location").asText("").trim();
        location = location.isEmpty() ? database : location;
        Path root = settings.location().orElseThrow();
        if (!LOCATION.matcher(location).matches()) {
            return RunResult.failure("Location '" + location + "' is not a directory name: give the name of a "
                    + "directory under BERTH_MIGRATION_LOCATION (" + root + "), e.g. " + database);
        }
        Path migrations = root.resolve(location);
        if (!Files.isDirectory(migrations)) {
            return RunResult.failure("No migrations at " + migrations + ": add that directory with Flyway SQL "
                    + "migrations (V1__create_tables.sql, ...), or give input 'location' naming a directory under "
                    + root);
        }
        run.progress(10, "Migrating " + database + " from " + migrations);
        FlywayMigration.Outcome outcome;
        try {
            outcome = FlywayMigration.migrate(settings, database, migrations);
        } catch (FlywayMigration.Failed failed) {
            run.log("Flyway failed: " + failed.getMessage());
            return RunResult.failure("Migrating " + database + " failed: " + failed.getMessage());
        }
        for (FlywayMigration.Applied applied : outcome.applied()) {
            run.log("Applied version " + applied.version() + " (" + applied.description() + ") in " + applied.millis()
                    + " ms");
        }
        String from = outcome.from() == null ? "an empty schema" : "version " + outcome.from();
        String version = outcome.to() != null ? outcome.to() : outcome.from();
        String to = version == null ? "no version" : "version " + version;
        String summary = outcome.applied().isEmpty() ? database + " is up to date at " + to
                : "Migrated " + database + " from " + from + " to " + to + " (" + outcome.applied().size()
                        + " applied)";
        run.progress(100, summary);
        return RunResult.success(summary);
    }
}
