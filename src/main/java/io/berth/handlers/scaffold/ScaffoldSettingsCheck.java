package io.berth.handlers.scaffold;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether {@code scaffold_service} is offered, and, when its settings are given, whether they can
 * work: start-up stops on a problem, naming the variable and the fix. Reads settings and the file
 * system only; connects nowhere.
 */
final class ScaffoldSettingsCheck {

    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

    /** Why the handler is not offered: neither of its two required settings is given. */
    static Optional<String> inactiveReason(ScaffoldSettings settings) {
        if (settings.remoteUrl().isEmpty() && settings.templateDir().isEmpty()) {
            return Optional.of("BERTH_SCAFFOLD_REMOTE_URL and BERTH_SCAFFOLD_TEMPLATE_DIR are not set");
        }
        return Optional.empty();
    }

    static List<String> problems(ScaffoldSettings settings) {
        List<String> problems = new ArrayList<>();
        if (inactiveReason(settings).isPresent()) {
            return problems;
        }
        if (settings.remoteUrl().isEmpty() || settings.templateDir().isEmpty()) {
            String given = settings.remoteUrl().isPresent() ? "BERTH_SCAFFOLD_REMOTE_URL" : "BERTH_SCAFFOLD_TEMPLATE_DIR";
            String missing = settings.remoteUrl().isPresent() ? "BERTH_SCAFFOLD_TEMPLATE_DIR" : "BERTH_SCAFFOLD_REMOTE_URL";
            problems.add(given + " is set but " + missing + " is not: set both to offer scaffold_service, or neither");
            return problems;
        }
        settings.templateDir().filter(dir -> !Files.isDirectory(dir) || !Files.isReadable(dir))
                .ifPresent(dir -> problems.add("BERTH_SCAFFOLD_TEMPLATE_DIR " + dir + " is not a readable directory: "
                        + "point it at the template the new repositories start from"));
        remote(settings.remoteUrl().get(), problems);
        if (settings.token().isPresent() && settings.remoteUrl().get().toLowerCase(Locale.ROOT).startsWith("http:")) {
            problems.add("BERTH_SCAFFOLD_TOKEN would travel in clear text to an http:// BERTH_SCAFFOLD_REMOTE_URL: "
                    + "use https://");
        }
        if (!BRANCH.matcher(settings.branch()).matches() || settings.branch().contains("..")) {
            problems.add("BERTH_SCAFFOLD_BRANCH '" + settings.branch() + "' is not a branch name: set e.g. "
                    + "BERTH_SCAFFOLD_BRANCH=main");
        }
        settings.workDir().filter(dir -> !Files.isDirectory(dir) || !Files.isWritable(dir))
                .ifPresent(dir -> problems.add("BERTH_SCAFFOLD_WORK_DIR " + dir + " is not a writable directory: "
                        + "create it, or unset it to use the temp directory"));
        if (settings.pushTimeoutSeconds() < 1) {
            problems.add("BERTH_SCAFFOLD_PUSH_TIMEOUT_SECONDS must be at least 1, was " + settings.pushTimeoutSeconds()
                    + ": set e.g. BERTH_SCAFFOLD_PUSH_TIMEOUT_SECONDS=60");
        }
        return problems;
    }

    private static void remote(String url, List<String> problems) {
        if (!url.contains(ScaffoldSettings.NAME)) {
            problems.add("BERTH_SCAFFOLD_REMOTE_URL must contain {name}, where the repository name goes, e.g. "
                    + "https://github.com/acme/{name}.git");
            return;
        }
        if (url.matches("[^/:]+@[^/:]+:.*") || url.toLowerCase(Locale.ROOT).startsWith("ssh:")) {
            problems.add("BERTH_SCAFFOLD_REMOTE_URL is an SSH remote, which this build does not support (JGit's SSH "
                    + "transport is not included): use the https:// URL with BERTH_SCAFFOLD_TOKEN");
            return;
        }
        URI uri;
        try {
            uri = URI.create(url.replace(ScaffoldSettings.NAME, "name"));
        } catch (IllegalArgumentException e) {
            problems.add("BERTH_SCAFFOLD_REMOTE_URL is not a URL (" + e.getMessage() + "): set e.g. "
                    + "https://github.com/acme/{name}.git");
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of("https", "http", "file").contains(scheme)) {
            problems.add("BERTH_SCAFFOLD_REMOTE_URL must be an https:// (or file://) URL, was '" + url + "'");
        } else if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            // A password in the URL would reach logs and Port with every mention of the remote.
            problems.add("BERTH_SCAFFOLD_REMOTE_URL carries a password: remove it from the URL and set "
                    + "BERTH_SCAFFOLD_TOKEN (and BERTH_SCAFFOLD_USERNAME) instead");
        }
    }
}
