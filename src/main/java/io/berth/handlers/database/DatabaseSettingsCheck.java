package io.berth.handlers.database;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Whether {@code create_database} is offered, and, when {@code BERTH_DATABASE_ADMIN_URL} is given,
 * whether the rest can work: start-up stops on a problem, naming the variable and the fix. Reads
 * settings and the file system only; connects nowhere.
 */
@ApplicationScoped
final class DatabaseSettingsCheck {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, DatabaseSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
    }

    static Optional<String> inactiveReason(DatabaseSettings settings) {
        return settings.adminUrl().isPresent() ? Optional.empty() : Optional.of("BERTH_DATABASE_ADMIN_URL is not set");
    }

    static List<String> problems(DatabaseSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.adminUrl().isEmpty()) {
            return problems;
        }
        String url = settings.adminUrl().get();
        if (!url.startsWith("jdbc:postgresql://")) {
            problems.add("BERTH_DATABASE_ADMIN_URL must be a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://db.internal:5432/postgres");
        }
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            problems.add("BERTH_DATABASE_ADMIN_URL carries a password: remove it from the URL and set "
                    + "BERTH_DATABASE_ADMIN_PASSWORD instead");
        }
        if (settings.adminUser().filter(user -> !user.isBlank()).isEmpty()) {
            problems.add("BERTH_DATABASE_ADMIN_USER is not set: set the user of the admin connection (it needs "
                    + "CREATEDB and CREATEROLE), e.g. BERTH_DATABASE_ADMIN_USER=berth_admin");
        }
        if (settings.secretDir().isEmpty()) {
            problems.add("BERTH_DATABASE_SECRET_DIR is not set: create_database writes each new role's password "
                    + "there (a file per database, mode 0600) and nowhere else; set it to a directory only Berth "
                    + "and the secret's readers can read");
        }
        settings.secretDir().filter(dir -> !Files.isDirectory(dir) || !Files.isWritable(dir))
                .ifPresent(dir -> problems.add("BERTH_DATABASE_SECRET_DIR " + dir + " is not a writable directory: "
                        + "create it (mode 0700)"));
        if (settings.connectTimeoutSeconds() < 1) {
            problems.add("BERTH_DATABASE_CONNECT_TIMEOUT_SECONDS must be at least 1, was "
                    + settings.connectTimeoutSeconds() + ": set e.g. BERTH_DATABASE_CONNECT_TIMEOUT_SECONDS=10");
        }
        return problems;
    }
}
