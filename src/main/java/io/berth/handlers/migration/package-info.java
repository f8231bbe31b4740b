/**
 * The {@code run_migration} handler of the Port POC, and a template for a handler of one's own:
 * Flyway's migrations from a directory under {@code BERTH_MIGRATION_LOCATION}, applied to a named
 * database, each applied version in the run's log, Flyway's own message when it fails. Flyway is
 * touched only by {@link io.berth.handlers.migration.FlywayMigration}, on a run, so an inactive
 * handler loads none of it.
 */
package io.berth.handlers.migration;
