package io.berth.handlers.database;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.OfferedWhenSet;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code create_database}: a PostgreSQL database and a login role of the same name that owns it,
 * with a generated password that goes to the secret sink only, and the {@code database} entity in
 * Port, related to its service.
 *
 * <pre>
 * name valid, service known? ─no─► FAILURE
 * database, role or secret there already? ─yes─► FAILURE, nothing touched
 * CREATE ROLE ─► password (SCRAM verifier) ─► CREATE DATABASE ─► secret sink ─► upsert entity ─► SUCCESS
 * any step failing: undo the steps before it, newest first ─► FAILURE saying what was undone
 * </pre>
 *
 * Inputs: {@code name} (required), {@code service} (the service's identifier; unset: the entity
 * the action ran on).
 */
@Singleton // no client proxy: one class fewer loaded while it is not offered
@OfferedWhenSet({ "berth.database.admin-url" })
public class CreateDatabase implements BlockingActionHandler {

    private static final Logger LOG = Logger.getLogger(CreateDatabase.class);
    private static final int PASSWORD_BYTES = 24;

    private final DatabaseSettings settings;
    private final Supplier<KubernetesClient> kubernetes;

    /** @param kubernetes Quarkus's client, resolved on the first run with the kubernetes sink: never built otherwise */
    @Inject
    CreateDatabase(DatabaseSettings settings, Instance<KubernetesClient> kubernetes) {
        this(settings, (Supplier<KubernetesClient>) kubernetes::get);
    }

    /** Without a Kubernetes client: the file sink only. */
    CreateDatabase(DatabaseSettings settings) {
        this(settings, () -> {
            throw new IllegalStateException("No Kubernetes client for BERTH_DATABASE_SECRET_SINK=kubernetes");
        });
    }

    CreateDatabase(DatabaseSettings settings, Supplier<KubernetesClient> kubernetes) {
        this.settings = settings;
        this.kubernetes = kubernetes;
    }

    @Override
    public Optional<String> inactiveReason() {
        return DatabaseSettingsCheck.inactiveReason(settings);
    }

    @Override
    public List<String> settingsProblems() {
        return DatabaseSettingsCheck.problems(settings);
    }

    @Override
    public Set<String> actions() {
        return Set.of("create_database");
    }

    @Override
    public RunResult handle(RunContext run) throws Exception {
        String name = run.inputs().path("name").asText("").trim();
        Optional<String> invalid = DatabaseName.problem("name", name);
        if (invalid.isPresent()) {
            return RunResult.failure(invalid.get());
        }
        Optional<String> service = serviceOf(run);
        if (service.isEmpty()) {
            return RunResult.failure("create_database needs the service the database belongs to: give input "
                    + "'service' (an entity input of the service blueprint), or run the action on a service entity");
        }
        SecretSink sink = secretSink();
        if (sink.exists(name)) {
            return RunResult.failure("Credentials for '" + name + "' exist already at " + sink.describe(name)
                    + ": choose another name, or remove them if their database is gone");
        }
        try (PostgresAdmin admin = connect()) {
            run.progress(10, "Connected to PostgreSQL at " + admin.server());
            if (admin.databaseExists(name)) {
                return RunResult.failure("Database '" + name + "' exists already on " + admin.server()
                        + ": choose another name (Berth never takes over an existing database)");
            }
            if (admin.roleExists(name)) {
                return RunResult.failure("Role '" + name + "' exists already on " + admin.server()
                        + ": choose another name, or drop that role first");
            }
            return create(run, admin, sink, name, service.get());
        }
    }

    /** The sink BERTH_DATABASE_SECRET_SINK names (checked at start-up: file or kubernetes). */
    private SecretSink secretSink() {
        return DatabaseSettingsCheck.KUBERNETES_SINK.equals(settings.secretSink())
                ? new KubernetesSecretSink(kubernetes.get(), settings.secretNamespace().orElseThrow(), settings.secretName())
                : new FileSecretSink(settings.secretDir().orElseThrow());
    }

    private PostgresAdmin connect() throws SQLException {
        try {
            return PostgresAdmin.connect(settings);
        } catch (SQLException e) {
            throw new SQLException("Could not connect to BERTH_DATABASE_ADMIN_URL: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private RunResult create(RunContext run, PostgresAdmin admin, SecretSink sink, String name, String service) {
        List<String> made = new ArrayList<>();
        char[] password = newPassword();
        try {
            admin.createRole(name);
            made.add("role");
            admin.setPassword(name, password);
            run.progress(30, "Created role " + name);
            stopIfInterrupted();
            admin.createDatabase(name, name);
            made.add("database");
            run.progress(50, "Created database " + name + " owned by " + name);
            stopIfInterrupted();
            sink.store(name, credentials(admin, name, password));
            made.add("credentials");
            run.progress(70, "Stored the credentials of " + name + " in " + sink.describe(name));
            stopIfInterrupted();
            run.upsertEntity(settings.blueprint(), entity(admin, name, service)).await().indefinitely();
            run.progress(100, "Recorded the " + settings.blueprint() + " entity " + name + " of service " + service);
            return RunResult.success("Created database " + name + " on " + admin.server() + " with role " + name
                    + "; credentials in " + sink.describe(name));
        } catch (Exception | Error failure) {
            return RunResult.failure("Could not create database " + name + ": " + failure.getMessage()
                    + undo(admin, sink, name, made));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Removes what this run made, newest first; says what it removed and what it could not. */
    private String undo(PostgresAdmin admin, SecretSink sink, String name, List<String> made) {
        if (made.isEmpty()) {
            return "";
        }
        // Interrupted (timeout, shutdown): clean up all the same, then keep the interruption.
        boolean interrupted = Thread.interrupted();
        List<String> removed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (int i = made.size() - 1; i >= 0; i--) {
            String what = made.get(i);
            try {
                switch (what) {
                    case "credentials" -> sink.remove(name);
                    case "database" -> admin.dropDatabase(name);
                    default -> admin.dropRole(name);
                }
                removed.add(what);
            } catch (Exception e) {
                LOG.warnf("Could not remove the %s of %s after a failed create_database: %s", what, name, e.getMessage());
                left.add(what + " (" + e.getMessage() + ")");
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return "; removed the " + String.join(", ", removed) + " it had made"
                + (left.isEmpty() ? "" : "; could not remove: " + String.join(", ", left) + ", remove by hand");
    }

    private Optional<String> serviceOf(RunContext run) {
        JsonNode input = run.inputs().path("service");
        String service = input.isObject() ? input.path("identifier").asText("") : input.asText("");
        if (service.isBlank()) {
            service = run.entity().map(entity -> entity.path("identifier").asText("")).orElse("");
        }
        return service.isBlank() ? Optional.empty() : Optional.of(service);
    }

    private static Map<String, String> credentials(PostgresAdmin admin, String name, char[] password) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PGHOST", admin.host());
        values.put("PGPORT", admin.port());
        values.put("PGDATABASE", name);
        values.put("PGUSER", name);
        values.put("PGPASSWORD", new String(password));
        values.put("JDBC_URL", admin.urlOf(name));
        return values;
    }

    private ObjectNode entity(PostgresAdmin admin, String name, String service) {
        ObjectNode entity = JsonNodeFactory.instance.objectNode().put("identifier", name).put("title", name);
        entity.putObject("properties").put("engine", "postgresql").put("server", admin.server());
        entity.putObject("relations").put(settings.serviceRelation(), service);
        return entity;
    }

    private static void stopIfInterrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("create_database was interrupted (timeout)");
        }
    }

    /** 24 random bytes, URL-safe Base64: 32 characters that need no quoting in a URL, a shell or SQL. */
    private static char[] newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
