package io.berth.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * port-agent's {@code LOG_LEVEL} as Quarkus's root level ({@code quarkus.log.level}): port-agent
 * gives it to {@code logging.basicConfig}, which sets Python's root logger, so it applies to every
 * logger that has no level of its own (Berth's {@code org.apache.kafka} stays at WARN).
 *
 * <p>Why a config source: Quarkus configures logging from the configuration before any bean exists.
 * An explicit {@code QUARKUS_LOG_LEVEL} still wins (this is only a default); a value that is not a
 * Python level name adds nothing here and stops start-up in {@link ConfigurationProblems#ofPortAgent}.
 */
public final class LogLevelSource implements ConfigSourceFactory {

    static final String QUARKUS_LOG_LEVEL = "quarkus.log.level";

    /** Below application.properties (250) and the environment (300): only a default. */
    private static final int ORDINAL = 50;

    /** Python's level names, as JBoss Logging's; NOTSET (everything) is DEBUG, the most Quarkus builds in. */
    private static final Map<String, String> LEVELS = Map.of("CRITICAL", "FATAL", "FATAL", "FATAL", "ERROR", "ERROR",
            "WARNING", "WARN", "WARN", "WARN", "INFO", "INFO", "DEBUG", "DEBUG", "NOTSET", "DEBUG");

    /** The JBoss level for a port-agent {@code LOG_LEVEL} (any case), empty when it names no level. */
    public static Optional<String> jbossLevel(String logLevel) {
        return Optional.ofNullable(LEVELS.get(logLevel.trim().toUpperCase(Locale.ROOT)));
    }

    /** The level names {@code LOG_LEVEL} accepts, for messages. */
    static String accepted() {
        return "DEBUG, INFO, WARNING, ERROR, CRITICAL (or WARN, FATAL, NOTSET)";
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue("log.level");
        Optional<String> level = Optional.ofNullable(value == null ? null : value.getValue())
                .filter(v -> !v.isBlank()).flatMap(LogLevelSource::jbossLevel);
        return level.<Iterable<ConfigSource>>map(l -> List.of(new PropertiesConfigSource(
                Map.of(QUARKUS_LOG_LEVEL, l), "berth-port-agent-log-level", ORDINAL))).orElse(List.of());
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
