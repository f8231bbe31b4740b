package io.berth.handlers.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.berth.config.Secret;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * {@code deploy_service}'s settings: {@code BERTH_DEPLOY_*}. A system is configured by its first
 * setting ({@code BERTH_DEPLOY_GITHUB_REPOSITORY}, {@code BERTH_DEPLOY_GITLAB_PROJECT},
 * {@code BERTH_DEPLOY_ARGOCD_URL}); the others of that system are then required
 * ({@link DeploySettingsCheck}).
 */
@ConfigMapping(prefix = "berth.deploy")
public interface DeploySettings {

    /** {@code BERTH_DEPLOY_TIMEOUT}: how long a deployment may run before the run fails. */
    @WithDefault("30m")
    Duration timeout();

    /** {@code BERTH_DEPLOY_POLL_INTERVAL}: how often the pipeline's state is read. */
    @WithDefault("5s")
    Duration pollInterval();

    /** {@code BERTH_DEPLOY_REQUEST_TIMEOUT}: one call to the CI/CD system's API. */
    @WithDefault("30s")
    Duration requestTimeout();

    GitHub github();

    GitLab gitlab();

    @WithName("argocd")
    ArgoCd argoCd();

    /** A GitHub Actions workflow with a {@code workflow_dispatch} trigger. */
    interface GitHub {
        /** {@code BERTH_DEPLOY_GITHUB_REPOSITORY}: {@code owner/repo}. */
        Optional<String> repository();

        /** {@code BERTH_DEPLOY_GITHUB_WORKFLOW}: the workflow's file name (e.g. {@code deploy.yml}) or id. */
        Optional<String> workflow();

        /** {@code BERTH_DEPLOY_GITHUB_REF}: the branch or tag whose workflow runs. */
        @WithDefault("main")
        String ref();

        /** {@code BERTH_DEPLOY_GITHUB_TOKEN}: a token that may write Actions (fine-grained: "Actions: write"). */
        Optional<Secret> token();

        /** {@code BERTH_DEPLOY_GITHUB_API_URL}: {@code https://HOST/api/v3} for GitHub Enterprise Server. */
        @WithDefault("https://api.github.com")
        URI apiUrl();
    }

    /** A GitLab project whose pipeline a trigger token starts. */
    interface GitLab {
        /** {@code BERTH_DEPLOY_GITLAB_PROJECT}: the project's id or path ({@code group/project}). */
        Optional<String> project();

        /** {@code BERTH_DEPLOY_GITLAB_TRIGGER_TOKEN}: a pipeline trigger token (Settings > CI/CD). */
        Optional<Secret> triggerToken();

        /** {@code BERTH_DEPLOY_GITLAB_TOKEN}: a token with {@code read_api}, to follow the pipeline. */
        Optional<Secret> token();

        /** {@code BERTH_DEPLOY_GITLAB_REF}: the branch or tag the pipeline runs on. */
        @WithDefault("main")
        String ref();

        /** {@code BERTH_DEPLOY_GITLAB_URL}: the GitLab instance. */
        @WithDefault("https://gitlab.com")
        URI url();
    }

    /** An Argo CD application to sync. */
    interface ArgoCd {
        /** {@code BERTH_DEPLOY_ARGOCD_URL}: the Argo CD server, e.g. {@code https://argocd.example.com}. */
        Optional<URI> url();

        /** {@code BERTH_DEPLOY_ARGOCD_TOKEN}: an account token allowed to sync the application. */
        Optional<Secret> token();

        /**
         * {@code BERTH_DEPLOY_ARGOCD_APPLICATION}: the application's name; {@code {service}} and
         * {@code {environment}} are replaced by the run's inputs.
         */
        @WithDefault("{service}")
        String application();
    }
}
