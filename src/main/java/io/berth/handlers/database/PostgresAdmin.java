package io.berth.handlers.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.postgresql.Driver;
import org.postgresql.PGConnection;

/**
 * One admin connection to the PostgreSQL server, for one run: the checks and statements of
 * {@code create_database}. Names reach SQL only after {@link DatabaseName} accepted them, and quoted.
 * The role's password never does: the driver sends the server a SCRAM-SHA-256 verifier computed here
 * ({@link PGConnection#alterUserPassword}), so the password is not in the server's statement log either.
 */
final class PostgresAdmin implements AutoCloseable {

    private final Connection connection;
    private final String host;
    private final String port;

    private PostgresAdmin(Connection connection, String host, String port) {
        this.connection = connection;
        this.host = host;
        this.port = port;
    }

    static PostgresAdmin connect(DatabaseSettings settings) throws SQLException {
        String url = settings.adminUrl().orElseThrow();
        Properties properties = new Properties();
        settings.adminUser().ifPresent(user -> properties.setProperty("user", user));
        settings.adminPassword().ifPresent(password -> properties.setProperty("password", password.reveal()));
        properties.setProperty("connectTimeout", Integer.toString(settings.connectTimeoutSeconds()));
        properties.setProperty("loginTimeout", Integer.toString(settings.connectTimeoutSeconds()));
        properties.setProperty("ApplicationName", "berth create_database");
        Properties parsed = Driver.parseURL(url, null);
        if (parsed == null) {
            throw new SQLException("BERTH_DATABASE_ADMIN_URL is not a PostgreSQL JDBC URL");
        }
        Connection connection = new Driver().connect(url, properties);
        connection.setAutoCommit(true); // CREATE DATABASE cannot run inside a transaction
        return new PostgresAdmin(connection, parsed.getProperty("PGHOST"), parsed.getProperty("PGPORT"));
    }

    /** {@code host:port} of the server, for messages and the entity. */
    String server() {
        return host + ":" + port;
    }

    /** The JDBC URL of {@code database} on this server. */
    String urlOf(String database) {
        String[] hosts = host.split(",");
        String[] ports = port.split(",");
        StringBuilder url = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.length; i++) {
            url.append(i == 0 ? "" : ",").append(hosts[i]).append(':').append(ports[Math.min(i, ports.length - 1)]);
        }
        return url.append('/').append(database).toString();
    }

    String host() {
        return host;
    }

    String port() {
        return port;
    }

    boolean databaseExists(String name) throws SQLException {
        return exists("SELECT 1 FROM pg_database WHERE datname = ?", name);
    }

    boolean roleExists(String name) throws SQLException {
        return exists("SELECT 1 FROM pg_roles WHERE rolname = ?", name);
    }

    void createRole(String name) throws SQLException {
        execute("CREATE ROLE " + quoted(name) + " LOGIN");
    }

    void setPassword(String role, char[] password) throws SQLException {
        // A copy: the driver wipes the array it is given once the verifier is computed.
        connection.unwrap(PGConnection.class).alterUserPassword(role, password.clone(), "scram-sha-256");
    }

    /** The database, owned by {@code owner}; only its owner (and superusers) may connect. */
    void createDatabase(String name, String owner) throws SQLException {
        execute("CREATE DATABASE " + quoted(name) + " OWNER " + quoted(owner));
        execute("REVOKE ALL ON DATABASE " + quoted(name) + " FROM PUBLIC");
    }

    void dropDatabase(String name) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + quoted(name));
    }

    void dropRole(String name) throws SQLException {
        execute("DROP ROLE IF EXISTS " + quoted(name));
    }

    private boolean exists(String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
