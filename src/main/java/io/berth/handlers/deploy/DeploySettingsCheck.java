package io.berth.handlers.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.berth.config.Secret;

/**
 * Stops start-up when a CI/CD system is configured in part: once its first setting is given, the
 * others it needs must be too. Nothing is checked, and nothing costs, while none is configured.
 */
final class DeploySettingsCheck {

    static final String GITHUB = "github";
    static final String GITLAB = "gitlab";
    static final String ARGOCD = "argocd";

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    /** The configured systems, by the name {@code inputs.system} gives them. */
    static List<String> configured(DeploySettings settings) {
        List<String> systems = new ArrayList<>();
        if (given(settings.github().repository())) {
            systems.add(GITHUB);
        }
        if (given(settings.gitlab().project())) {
            systems.add(GITLAB);
        }
        if (settings.argoCd().url().isPresent()) {
            systems.add(ARGOCD);
        }
        return systems;
    }

    static List<String> problems(DeploySettings settings) {
        List<String> problems = new ArrayList<>();
        List<String> systems = configured(settings);
        if (systems.isEmpty()) {
            return problems;
        }
        positive("BERTH_DEPLOY_TIMEOUT", settings.timeout(), "30m", problems);
        positive("BERTH_DEPLOY_POLL_INTERVAL", settings.pollInterval(), "5s", problems);
        positive("BERTH_DEPLOY_REQUEST_TIMEOUT", settings.requestTimeout(), "30s", problems);
        if (systems.contains(GITHUB)) {
            DeploySettings.GitHub github = settings.github();
            String repository = github.repository().orElseThrow().strip();
            if (!REPOSITORY.matcher(repository).matches()) {
                problems.add("BERTH_DEPLOY_GITHUB_REPOSITORY must be owner/repo, was '" + repository
                        + "': set e.g. BERTH_DEPLOY_GITHUB_REPOSITORY=acme/checkout");
            }
            required("BERTH_DEPLOY_GITHUB_WORKFLOW", given(github.workflow()), "the workflow's file name, e.g. "
                    + "BERTH_DEPLOY_GITHUB_WORKFLOW=deploy.yml", problems);
            required("BERTH_DEPLOY_GITHUB_TOKEN", secret(github.token()), "a token that may write Actions of "
                    + repository, problems);
            httpUrl("BERTH_DEPLOY_GITHUB_API_URL", github.apiUrl(), "https://api.github.com", problems);
        }
        if (systems.contains(GITLAB)) {
            DeploySettings.GitLab gitlab = settings.gitlab();
            required("BERTH_DEPLOY_GITLAB_TRIGGER_TOKEN", secret(gitlab.triggerToken()),
                    "a pipeline trigger token of the project (Settings > CI/CD > Pipeline trigger tokens)", problems);
            required("BERTH_DEPLOY_GITLAB_TOKEN", secret(gitlab.token()),
                    "a token with read_api, to follow the pipeline", problems);
            httpUrl("BERTH_DEPLOY_GITLAB_URL", gitlab.url(), "https://gitlab.com", problems);
        }
        if (systems.contains(ARGOCD)) {
            DeploySettings.ArgoCd argo = settings.argoCd();
            httpUrl("BERTH_DEPLOY_ARGOCD_URL", argo.url().orElseThrow(), "https://argocd.example.com", problems);
            required("BERTH_DEPLOY_ARGOCD_TOKEN", secret(argo.token()),
                    "an Argo CD account token allowed to sync the applications", problems);
            if (!argo.application().contains("{service}")) {
                problems.add("BERTH_DEPLOY_ARGOCD_APPLICATION must contain {service} (every run would sync the same "
                        + "application), was '" + argo.application() + "': set e.g. "
                        + "BERTH_DEPLOY_ARGOCD_APPLICATION={service}-{environment}");
            }
        }
        return problems;
    }

    private static boolean given(Optional<String> value) {
        return value.filter(text -> !text.isBlank()).isPresent();
    }

    private static boolean secret(Optional<Secret> value) {
        return value.filter(secret -> !secret.isBlank()).isPresent();
    }

    private static void required(String variable, boolean present, String what, List<String> problems) {
        if (!present) {
            problems.add(variable + " is not set: set it to " + what);
        }
    }

    private static void httpUrl(String variable, URI url, String example, List<String> problems) {
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            problems.add(variable + " must be an http(s) URL, was '" + url + "': set e.g. " + variable + "=" + example);
        }
    }

    private static void positive(String variable, Duration value, String example, List<String> problems) {
        if (value.isNegative() || value.isZero()) {
            problems.add(variable + " must be longer than zero, was " + value + ": set e.g. " + variable + "=" + example);
        }
    }
}
