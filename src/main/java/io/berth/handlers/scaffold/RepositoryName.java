package io.berth.handlers.scaffold;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names {@code scaffold_service} accepts for a repository (and its service): a DNS label, so the
 * same name also works as a Kubernetes service, a host name and a Port identifier.
 */
final class RepositoryName {

    private static final Pattern LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private RepositoryName() {
    }

    /** Why {@code name} cannot be used, in words a user can act on; empty when it can. */
    static Optional<String> problem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("Input 'name' is missing: give the repository name, e.g. payments-api");
        }
        if (!LABEL.matcher(name).matches()) {
            return Optional.of("Repository name '" + name + "' is not valid: use 1 to 63 lower-case letters, digits "
                    + "and '-', starting with a letter and not ending with '-', e.g. "
                    + suggestion(name));
        }
        return Optional.empty();
    }

    private static String suggestion(String name) {
        String cleaned = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
        if (cleaned.length() > 63) {
            cleaned = cleaned.substring(0, 63).replaceAll("-+$", "");
        }
        return cleaned.isEmpty() ? "payments-api" : cleaned;
    }
}
