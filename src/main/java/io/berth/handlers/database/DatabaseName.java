package io.berth.handlers.database;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The database (and role) names Berth creates and migrates: lower-case, so that they need no quoting
 * in a user's SQL, and none of PostgreSQL's own.
 */
public final class DatabaseName {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1", "public");

    private DatabaseName() {
    }

    /** Why the value of input {@code input} cannot name a database, in words a user can act on; empty when it can. */
    public static Optional<String> problem(String input, String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("Input '" + input + "' is missing: give the database name, e.g. payments");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("Database name '" + name + "' is not valid: use 1 to 63 lower-case letters, digits and "
                    + "'_', starting with a letter, e.g. " + name.toLowerCase(java.util.Locale.ROOT)
                            .replaceAll("[^a-z0-9_]+", "_").replaceAll("^[^a-z]+", "db_"));
        }
        if (RESERVED.contains(name) || name.startsWith("pg_")) {
            return Optional.of("Database name '" + name + "' is reserved by PostgreSQL: choose another name");
        }
        return Optional.empty();
    }
}
