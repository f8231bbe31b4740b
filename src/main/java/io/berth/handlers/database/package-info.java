/**
 * The {@code create_database} handler of the Port POC, and a template for a handler of one's own: a
 * PostgreSQL database and its owning role, created over the admin connection
 * ({@code BERTH_DATABASE_ADMIN_URL}), the role's generated password handed only to a
 * {@link io.berth.handlers.database.SecretSink} (a file per database here), and the {@code database}
 * entity recorded in Port. The JDBC driver is loaded on a run's first connection, never at start-up.
 */
package io.berth.handlers.database;
