package io.berth.handlers.scaffold;

import java.nio.file.Path;
import java.util.Optional;

import io.berth.config.Secret;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code BERTH_SCAFFOLD_*}: where {@code scaffold_service} takes its template and pushes the repository. */
@ConfigMapping(prefix = "berth.scaffold")
public interface ScaffoldSettings {

    /** The placeholder of {@link #remoteUrl()} and {@link #webUrl()} that the repository name replaces. */
    String NAME = "{name}";

    /** {@code BERTH_SCAFFOLD_TEMPLATE_DIR}: the directory copied into each new repository. */
    Optional<Path> templateDir();

    /**
     * {@code BERTH_SCAFFOLD_REMOTE_URL}: where the repository is pushed, with {@code {name}}, e.g.
     * {@code https://github.com/acme/{name}.git} or {@code file:///srv/git/{name}.git}. The repository
     * must exist there and have no branch {@link #branch()} yet.
     */
    Optional<String> remoteUrl();

    /** {@code BERTH_SCAFFOLD_TOKEN}: the HTTPS password or access token for the remote. */
    Optional<Secret> token();

    /** {@code BERTH_SCAFFOLD_USERNAME}: the HTTPS user name sent with the token (GitLab: {@code oauth2}). */
    @WithDefault("x-access-token")
    String username();

    /** {@code BERTH_SCAFFOLD_BRANCH}: the branch of the initial commit. */
    @WithDefault("main")
    String branch();

    /**
     * {@code BERTH_SCAFFOLD_WEB_URL}: the repository's page, with {@code {name}}, linked from the run and
     * the entity; unset: the remote URL without its {@code .git}.
     */
    Optional<String> webUrl();

    /** {@code BERTH_SCAFFOLD_WORK_DIR}: where working copies are made (and removed); unset: the temp directory. */
    Optional<Path> workDir();

    /** {@code BERTH_SCAFFOLD_BLUEPRINT}: the blueprint of the entity recorded in Port. */
    @WithDefault("service")
    String blueprint();

    /** {@code BERTH_SCAFFOLD_AUTHOR_NAME}: the commit's author when Port names no user. */
    @WithDefault("Berth")
    String authorName();

    /** {@code BERTH_SCAFFOLD_AUTHOR_EMAIL}: the commit's e-mail when Port names no user. */
    @WithDefault("berth@localhost")
    String authorEmail();

    /** {@code BERTH_SCAFFOLD_PUSH_TIMEOUT_SECONDS}: how long the remote may stay silent during a push. */
    @WithDefault("60")
    int pushTimeoutSeconds();
}
