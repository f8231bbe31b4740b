package io.berth.console;

import java.util.Optional;

import io.berth.config.Secret;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The runs console at {@code /}: {@code BERTH_CONSOLE_ENABLED}, {@code BERTH_CONSOLE_TOKEN}, ...
 * Bound beyond localhost ({@code QUARKUS_HTTP_HOST}, {@code 0.0.0.0} in production), the console is
 * served only with a token: a bearer token, or the password of HTTP basic authentication.
 */
@ConfigMapping(prefix = "berth.console")
public interface ConsoleSettings {

    /** False: no console at all (404). */
    @WithDefault("true")
    boolean enabled();

    /** {@code BERTH_CONSOLE_TOKEN}: required when Berth listens beyond localhost. */
    Optional<Secret> token();

    /** How many recent runs the console remembers (oldest forgotten first). */
    @WithDefault("200")
    int recentRuns();

    /** {@code BERTH_CONSOLE_RECENT_TRIGGER_RECORDS}: how many records of each trigger the console remembers. */
    @WithDefault("50")
    int recentTriggerRecords();

    /** How many dead-letter records the console remembers. */
    @WithDefault("100")
    int deadLetters();
}
