package io.berth.handlers.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.config.Secret;
import io.berth.config.SecretConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** BERTH_DEPLOY_* as a user sets them: nothing set is no handler; a system set in part stops start-up. */
class DeploySettingsCheckTest {

    static DeploySettings settings(Map<String, String> env) {
        return new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withConverter(Secret.class, 100, new SecretConverter())
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(DeploySettings.class).build().getConfigMapping(DeploySettings.class);
    }

    @Test
    void configuresNothingAndChecksNothingWithoutSettings() {
        DeploySettings settings = settings(Map.of("BERTH_DEPLOY_TIMEOUT", "0s"));

        assertThat(DeploySettingsCheck.configured(settings)).isEmpty();
        assertThat(DeploySettingsCheck.problems(settings)).isEmpty();
    }

    @Test
    void namesEveryMissingSettingOfASystemConfiguredInPart() {
        DeploySettings settings = settings(Map.of("BERTH_DEPLOY_GITHUB_REPOSITORY", "acme/checkout",
                "BERTH_DEPLOY_GITLAB_PROJECT", "acme/checkout", "BERTH_DEPLOY_ARGOCD_URL", "argocd.example.com"));

        assertThat(DeploySettingsCheck.configured(settings)).containsExactly("github", "gitlab", "argocd");
        assertThat(DeploySettingsCheck.problems(settings)).containsExactly(
                "BERTH_DEPLOY_GITHUB_WORKFLOW is not set: set it to the workflow's file name, e.g. "
                        + "BERTH_DEPLOY_GITHUB_WORKFLOW=deploy.yml",
                "BERTH_DEPLOY_GITHUB_TOKEN is not set: set it to a token that may write Actions of acme/checkout",
                "BERTH_DEPLOY_GITLAB_TRIGGER_TOKEN is not set: set it to a pipeline trigger token of the project "
                        + "(Settings > CI/CD > Pipeline trigger tokens)",
                "BERTH_DEPLOY_GITLAB_TOKEN is not set: set it to a token with read_api, to follow the pipeline",
                "BERTH_DEPLOY_ARGOCD_URL must be an http(s) URL, was 'argocd.example.com': set e.g. "
                        + "BERTH_DEPLOY_ARGOCD_URL=https://argocd.example.com",
                "BERTH_DEPLOY_ARGOCD_TOKEN is not set: set it to an Argo CD account token allowed to sync the "
                        + "applications");
    }

    @Test
    void refusesARepositoryThatIsNotOwnerSlashRepoAndBoundsThatAreNotPositive() {
        DeploySettings settings = settings(Map.of("BERTH_DEPLOY_GITHUB_REPOSITORY", "checkout",
                "BERTH_DEPLOY_GITHUB_WORKFLOW", "deploy.yml", "BERTH_DEPLOY_GITHUB_TOKEN", "ghp_x",
                "BERTH_DEPLOY_POLL_INTERVAL", "0s"));

        assertThat(DeploySettingsCheck.problems(settings)).containsExactly(
                "BERTH_DEPLOY_POLL_INTERVAL must be longer than zero, was PT0S: set e.g. BERTH_DEPLOY_POLL_INTERVAL=5s",
                "BERTH_DEPLOY_GITHUB_REPOSITORY must be owner/repo, was 'checkout': set e.g. "
                        + "BERTH_DEPLOY_GITHUB_REPOSITORY=acme/checkout");
    }

    @Test
    void refusesAnArgoCdApplicationWithoutTheService() {
        DeploySettings settings = settings(Map.of("BERTH_DEPLOY_ARGOCD_URL", "https://argocd.example.com",
                "BERTH_DEPLOY_ARGOCD_TOKEN", "t", "BERTH_DEPLOY_ARGOCD_APPLICATION", "shop"));

        assertThat(DeploySettingsCheck.problems(settings)).singleElement().asString()
                .startsWith("BERTH_DEPLOY_ARGOCD_APPLICATION must contain {service}");
    }
}
