package io.berth.handlers.migration;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether {@code run_migration} is offered, and, when {@code BERTH_MIGRATION_LOCATION} is given,
 * whether the rest can work: start-up stops on a problem, naming the variable and the fix. Reads
 * settings and the file system only; connects nowhere.
 */
final class MigrationSettingsCheck {

    static Optional<String> inactiveReason(MigrationSettings settings) {
        return settings.location().isPresent() ? Optional.empty() : Optional.of("BERTH_MIGRATION_LOCATION is not set");
    }

    static List<String> problems(MigrationSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.location().isEmpty()) {
            return problems;
        }
        settings.location().filter(dir -> !Files.isDirectory(dir) || !Files.isReadable(dir))
                .ifPresent(dir -> problems.add("BERTH_MIGRATION_LOCATION " + dir + " is not a readable directory: "
                        + "point it at the directory that holds a directory of migrations per database"));
        String url = settings.url().orElse("");
        if (!url.startsWith("jdbc:postgresql://") || !url.contains(MigrationSettings.DATABASE)) {
            problems.add("BERTH_MIGRATION_URL must be a PostgreSQL JDBC URL with {database} where the database name "
                    + "goes, e.g. BERTH_MIGRATION_URL=jdbc:postgresql://db.internal:5432/{database}");
        }
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            problems.add("BERTH_MIGRATION_URL carries a password: remove it from the URL and set "
                    + "BERTH_MIGRATION_PASSWORD instead");
        }
        if (settings.user().filter(user -> !user.isBlank()).isEmpty()) {
            problems.add("BERTH_MIGRATION_USER is not set: set the user Flyway connects as (it must be allowed to "
                    + "create the migrations' objects), e.g. BERTH_MIGRATION_USER=berth_admin");
        }
        if (settings.connectTimeoutSeconds() < 1) {
            problems.add("BERTH_MIGRATION_CONNECT_TIMEOUT_SECONDS must be at least 1, was "
                    + settings.connectTimeoutSeconds() + ": set e.g. BERTH_MIGRATION_CONNECT_TIMEOUT_SECONDS=10");
        }
        return problems;
    }
}
