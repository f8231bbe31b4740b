package io.berth.handlers.database;

import java.io.IOException;
import java.util.Map;

/**
 * Where a new database's credentials go: the only place the generated password is ever written
 * (never a log, Port, or an event): {@link FileSecretSink} (files) or {@link KubernetesSecretSink}
 * (Secrets), as {@code BERTH_DATABASE_SECRET_SINK} says.
 */
public interface SecretSink {

    /** Where the credentials of {@code database} are (a path, a Secret's name), for messages: never their value. */
    String describe(String database);

    /** Whether credentials for {@code database} are there already (a sink never overwrites them). */
    boolean exists(String database) throws IOException;

    /** Stores {@code values} (e.g. {@code PGUSER}, {@code PGPASSWORD}) for {@code database}, whole or not at all. */
    void store(String database, Map<String, String> values) throws IOException;

    /** Removes what {@link #store} stored for {@code database}, if anything. */
    void remove(String database) throws IOException;
}
