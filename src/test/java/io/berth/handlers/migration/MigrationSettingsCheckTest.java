package io.berth.handlers.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.config.Secret;

class MigrationSettingsCheckTest {

    @TempDir
    Path migrations;

    record Settings(Optional<Path> location, Optional<String> url, Optional<String> user, Optional<Secret> password,
            int connectTimeoutSeconds) implements MigrationSettings {
    }

    Settings with(Path location, String url) {
        return new Settings(Optional.ofNullable(location), Optional.ofNullable(url), Optional.of("flyway"),
                Optional.of(Secret.of("pw")), 10);
    }

    @Test
    void isInactiveWithoutALocation() {
        assertThat(MigrationSettingsCheck.inactiveReason(with(null, null))).contains("BERTH_MIGRATION_LOCATION is not set");
        assertThat(MigrationSettingsCheck.problems(with(null, null))).isEmpty();
    }

    @Test
    void needsAUrlWithTheDatabasePlaceholderOnceALocationIsGiven() {
        assertThat(MigrationSettingsCheck.problems(with(migrations, "jdbc:postgresql://db:5432/{database}"))).isEmpty();
        assertThat(MigrationSettingsCheck.problems(with(migrations, "jdbc:postgresql://db:5432/payments")))
                .singleElement().asString().contains("with {database} where the database name goes");
        assertThat(MigrationSettingsCheck.problems(with(migrations, null))).singleElement().asString()
                .startsWith("BERTH_MIGRATION_URL must be");
    }

    @Test
    void refusesALocationThatIsNotADirectory() {
        assertThat(MigrationSettingsCheck.problems(with(migrations.resolve("absent"), "jdbc:postgresql://db/{database}")))
                .singleElement().asString().startsWith("BERTH_MIGRATION_LOCATION " + migrations.resolve("absent"));
    }
}
