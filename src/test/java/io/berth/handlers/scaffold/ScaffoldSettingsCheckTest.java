package io.berth.handlers.scaffold;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.config.Secret;

class ScaffoldSettingsCheckTest {

    @TempDir
    Path template;

    record Settings(Optional<Path> templateDir, Optional<String> remoteUrl, Optional<Secret> token, String username,
            String branch, Optional<Path> workDir, int pushTimeoutSeconds)
            implements ScaffoldSettings {

        @Override
        public Optional<String> webUrl() {
            return Optional.empty();
        }

        @Override
        public String blueprint() {
            return "service";
        }

        @Override
        public String authorName() {
            return "Berth";
        }

        @Override
        public String authorEmail() {
            return "berth@localhost";
        }
    }

    Settings with(Optional<Path> template, String remote, String token) {
        return new Settings(template, Optional.ofNullable(remote), Optional.ofNullable(token).map(Secret::of),
                "x-access-token", "main", Optional.empty(), 60);
    }

    @Test
    void isInactiveWithoutItsSettingsAndSaysWhichToSet() {
        Settings none = with(Optional.empty(), null, null);

        assertThat(ScaffoldSettingsCheck.inactiveReason(none))
                .contains("BERTH_SCAFFOLD_REMOTE_URL and BERTH_SCAFFOLD_TEMPLATE_DIR are not set");
        assertThat(ScaffoldSettingsCheck.problems(none)).isEmpty();
    }

    @Test
    void acceptsAnHttpsRemoteWithATokenAndALocalOne() {
        assertThat(ScaffoldSettingsCheck.problems(with(Optional.of(template), "https://github.com/acme/{name}.git",
                "ghp_secret"))).isEmpty();
        assertThat(ScaffoldSettingsCheck.problems(with(Optional.of(template), "file:///srv/git/{name}.git", null)))
                .isEmpty();
    }

    @Test
    void refusesOneOfTheTwoRequiredSettingsWithoutTheOther() {
        assertThat(ScaffoldSettingsCheck.problems(with(Optional.empty(), "https://github.com/acme/{name}.git", null)))
                .containsExactly("BERTH_SCAFFOLD_REMOTE_URL is set but BERTH_SCAFFOLD_TEMPLATE_DIR is not: set both "
                        + "to offer scaffold_service, or neither");
    }

    @Test
    void refusesSshRemotesAndPasswordsInTheUrlNamingTheFix() {
        assertThat(ScaffoldSettingsCheck.problems(with(Optional.of(template), "git@github.com:acme/{name}.git", null)))
                .singleElement().asString().contains("SSH remote").contains("BERTH_SCAFFOLD_TOKEN");
        assertThat(ScaffoldSettingsCheck.problems(with(Optional.of(template),
                "https://bot:hunter2@github.com/acme/{name}.git", null)))
                .singleElement().asString().contains("carries a password").doesNotContain("hunter2");
        assertThat(ScaffoldSettingsCheck.problems(with(Optional.of(template), "https://github.com/acme/repo.git", null)))
                .singleElement().asString().contains("must contain {name}");
    }

    @Test
    void refusesATemplateThatIsNotADirectory() {
        assertThat(ScaffoldSettingsCheck.problems(with(Optional.of(template.resolve("missing")),
                "https://github.com/acme/{name}.git", null)))
                .singleElement().asString().startsWith("BERTH_SCAFFOLD_TEMPLATE_DIR " + template.resolve("missing"));
    }

    @Test
    void repositoryNamesAreDnsLabelsAndAnInvalidOneGetsASuggestion() {
        assertThat(RepositoryName.problem("payments-api")).isEmpty();
        assertThat(RepositoryName.problem("Payments_API")).get().asString()
                .isEqualTo("Repository name 'Payments_API' is not valid: use 1 to 63 lower-case letters, digits and "
                        + "'-', starting with a letter and not ending with '-', e.g. payments-api");
        assertThat(RepositoryName.problem("-x")).isPresent();
        assertThat(RepositoryName.problem("a".repeat(64))).isPresent();
        assertThat(RepositoryName.problem("")).get().asString().contains("Input 'name' is missing");
    }
}
