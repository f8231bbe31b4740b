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
 * Whether this Berth consumes Port's topics, the runs and the change log. {@code BERTH_RUNS_ENABLED} decides; unset, Berth
 * consumes the runs unless it is given a triggers file ({@code BERTH_TRIGGERS_PATH}) or a bridge
 * file ({@code BERTH_BRIDGE_PATH}) and no {@code PORT_ORG_ID}: then it runs those alone, with no Port
 * setting. With {@code STREAMER_NAME=POLLING} runs are claimed from Port's API instead
 * ({@code io.berth.polling}): neither topic is consumed and neither dead-letter topic written, so
 * the runs connect to no Kafka broker. With {@code BERTH_CLOUDEVENTS_ENABLED=true} a KafkaSource pushes
 * both topics ({@code io.berth.cloudevents}): neither is consumed, their dead-letter topics are still written.
 *
 * <p>Why a config source: SmallRye Reactive Messaging reads a channel's {@code enabled} attribute
 * before any bean exists, and a disabled incoming channel gets no connector, so no Kafka consumer.
 * This source gives {@value #CHANNEL_ENABLED} and the runs' dead-letter channel the decision; a
 * value set explicitly (environment, application.properties) still wins over it.
 */
public final class RunsConsumption implements ConfigSourceFactory {

    /** The runs channel's switch, as SmallRye reads it; beans that depend on the runs read it too. */
    public static final String CHANNEL_ENABLED = "mp.messaging.incoming.runs.enabled";

    /** The runs' dead-letter channel's switch: off with triggers alone and with the polling streamer. */
    public static final String DEAD_LETTERS_ENABLED = "mp.messaging.outgoing.runs-dead-letters.enabled";

    /** The change log is Port's second topic: consumed exactly when the runs are. */
    public static final String CHANGELOG_ENABLED = "mp.messaging.incoming.changelog.enabled";
    static final String CHANGELOG_DEAD_LETTERS_ENABLED = "mp.messaging.outgoing.changelog-dead-letters.enabled";

    /** Below application.properties (250) and the environment (300): only a default. */
    private static final int ORDINAL = 50;

    /**
     * @param enabled {@code BERTH_RUNS_ENABLED}, when set
     * @param triggersDeclared whether {@code BERTH_TRIGGERS_PATH} or {@code BERTH_BRIDGE_PATH} is set
     */
    public static boolean consumed(Optional<Boolean> enabled, Optional<String> orgId, boolean triggersDeclared) {
        return enabled.orElseGet(() -> orgId.filter(id -> !id.isBlank()).isPresent() || !triggersDeclared);
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // An unparsable BERTH_RUNS_ENABLED counts as unset here; BerthSettings refuses it with its message.
        Optional<Boolean> enabled = text(context, "berth.runs.enabled").map(v -> v.trim().toLowerCase(Locale.ROOT))
                .filter(v -> v.equals("true") || v.equals("false")).map(Boolean::valueOf);
        boolean polling = text(context, "streamer.name").flatMap(Streamer::parse).orElse(Streamer.KAFKA)
                == Streamer.POLLING;
        String consumed = String.valueOf(!polling && consumed(enabled, text(context, "port.org-id"),
                text(context, "berth.triggers.path").isPresent() || text(context, "berth.bridge.path").isPresent()));
        String pulled = String.valueOf(Boolean.parseBoolean(consumed) && !text(context, "berth.cloudevents.enabled")
                .map(v -> v.trim().equalsIgnoreCase("true")).orElse(false));
        return List.of(new PropertiesConfigSource(Map.of(CHANNEL_ENABLED, pulled, DEAD_LETTERS_ENABLED, consumed,
                CHANGELOG_ENABLED, pulled, CHANGELOG_DEAD_LETTERS_ENABLED, consumed),
                "berth-runs-consumption", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static Optional<String> text(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).filter(v -> !v.isBlank());
    }
}
