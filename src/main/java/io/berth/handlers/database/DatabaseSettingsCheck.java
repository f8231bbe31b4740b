package io.berth.handlers.database;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether {@code create_database} is offered, and, when {@code BERTH_DATABASE_ADMIN_URL} is given,
 * whether the rest can work: start-up stops on a problem, naming the variable and the fix. Reads
 * settings and the file system only; connects nowhere.
 */
final class DatabaseSettingsCheck {

    static final String FILE_SINK = "file";
    static final String KUBERNETES_SINK = "kubernetes";
    /** A namespace's or Secret's name: an RFC 1123 subdomain. */
    private static final Pattern KUBERNETES_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

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
        switch (settings.secretSink()) {
            case FILE_SINK -> fileSinkProblems(settings, problems);
            case KUBERNETES_SINK -> kubernetesSinkProblems(settings, problems);
            default -> problems.add("BERTH_DATABASE_SECRET_SINK is '" + settings.secretSink() + "': set it to "
                    + FILE_SINK + " (a file per database in BERTH_DATABASE_SECRET_DIR) or " + KUBERNETES_SINK
                    + " (a Secret per database in BERTH_DATABASE_SECRET_NAMESPACE)");
        }
        if (settings.connectTimeoutSeconds() < 1) {
            problems.add("BERTH_DATABASE_CONNECT_TIMEOUT_SECONDS must be at least 1, was "
                    + settings.connectTimeoutSeconds() + ": set e.g. BERTH_DATABASE_CONNECT_TIMEOUT_SECONDS=10");
        }
        return problems;
    }

    private static void fileSinkProblems(DatabaseSettings settings, List<String> problems) {
        if (settings.secretDir().isEmpty()) {
            problems.add("BERTH_DATABASE_SECRET_DIR is not set: create_database writes each new role's password "
                    + "there (a file per database, mode 0600) and nowhere else; set it to a directory only Berth "
                    + "and the secret's readers can read, or set BERTH_DATABASE_SECRET_SINK=kubernetes");
        }
        settings.secretDir().filter(dir -> !Files.isDirectory(dir) || !Files.isWritable(dir))
                .ifPresent(dir -> problems.add("BERTH_DATABASE_SECRET_DIR " + dir + " is not a writable directory: "
                        + "create it (mode 0700)"));
    }

    private static void kubernetesSinkProblems(DatabaseSettings settings, List<String> problems) {
        if (settings.secretNamespace().filter(namespace -> KUBERNETES_NAME.matcher(namespace).matches()).isEmpty()) {
            problems.add("BERTH_DATABASE_SECRET_NAMESPACE is " + settings.secretNamespace().map(n -> "'" + n + "', not a "
                    + "namespace name").orElse("not set") + ": with BERTH_DATABASE_SECRET_SINK=kubernetes, set the "
                    + "namespace the Secrets go to, e.g. BERTH_DATABASE_SECRET_NAMESPACE=shop (Berth's service "
                    + "account needs get, create and delete on secrets there)");
        }
        String pattern = settings.secretName();
        String sample = KubernetesSecretSink.secretName(pattern, "payments_2");
        if (!pattern.contains(KubernetesSecretSink.DATABASE_PLACEHOLDER) || sample.length() > 253
                || !KUBERNETES_NAME.matcher(sample).matches()) {
            problems.add("BERTH_DATABASE_SECRET_NAME is '" + pattern + "': it needs " + KubernetesSecretSink.DATABASE_PLACEHOLDER
                    + " and must give a Kubernetes name (lower-case letters, digits, '-' and '.'), e.g. "
                    + "BERTH_DATABASE_SECRET_NAME={database}-credentials");
        }
    }
}
