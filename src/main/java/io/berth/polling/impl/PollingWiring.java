package io.berth.polling.impl;

import java.time.Clock;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.berth.config.CommandMode;
import io.berth.config.BerthSettings;
import io.berth.config.RunsConsumption;
import io.berth.config.Streamer;
import io.berth.config.StreamerSettings;
import io.berth.delivery.RecordDispatcher;
import io.berth.polling.PollingSettings;
import io.berth.polling.RunPoller;
import io.berth.port.PortClient;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Puts the polling streamer together, the one place that does: at start-up it tells Port which
 * streamer the organisation's agent uses (both streamers, when runs are taken at all) and, with
 * {@code STREAMER_NAME=POLLING}, starts the {@link PollingLoop} on the runs' own dispatcher
 * ({@code runs.impl.RunsWiring}, identifier {@value #RUNS_DISPATCHER}). On SIGTERM it stops claiming
 * and lets the claimed runs end within {@code BERTH_RUNS_SHUTDOWN_GRACE}.
 */
@ApplicationScoped
final class PollingWiring {

    /** The runs' dispatcher, as {@code runs.impl.RunsWiring} produces it. */
    static final String RUNS_DISPATCHER = "runs";

    /** Exit status when claims failed for longer than {@code POLLING_MAX_FAILURE_DURATION_SECONDS}. */
    static final int GAVE_UP_EXIT_STATUS = 1;

    private final Streamer streamer;
    private final boolean kafkaRuns;
    private final PollingSettings settings;
    private final BerthSettings berth;
    private final PortClient port;
    private final Instance<RecordDispatcher> dispatcher;
    private volatile PollingLoop loop;

    @Inject
    PollingWiring(StreamerSettings streamer, PollingSettings settings, BerthSettings berth, PortClient port,
            @Identifier(RUNS_DISPATCHER) Instance<RecordDispatcher> dispatcher,
            @ConfigProperty(name = RunsConsumption.CHANNEL_ENABLED, defaultValue = "true") boolean kafkaRuns,
            @ConfigProperty(name = "berth.cloudevents.enabled", defaultValue = "false") boolean pushedRuns) {
        this.streamer = Streamer.of(streamer);
        // Runs pushed by a KafkaSource are Kafka runs too: Port must still publish them to the topic.
        this.kafkaRuns = kafkaRuns || pushedRuns;
        this.settings = settings;
        this.berth = berth;
        this.port = port;
        this.dispatcher = dispatcher;
    }

    void start(@Observes StartupEvent event) {
        if (CommandMode.active()) {
            return; // a command claims no run and tells Port nothing
        }
        boolean polling = streamer == Streamer.POLLING;
        if (polling || kafkaRuns) {
            StreamerAnnouncement.announce(port, streamer);
        }
        if (polling) {
            // In dev mode and tests a Berth that gave up stays up, DOWN, as after running out of memory.
            Runnable giveUp = LaunchMode.current() == LaunchMode.NORMAL ? () -> Quarkus.asyncExit(GAVE_UP_EXIT_STATUS)
                    : () -> { };
            PollingLoop started = new PollingLoop(port, dispatcher.get(), settings, berth.runs().concurrency(),
                    Infrastructure.getDefaultWorkerPool(), Clock.systemUTC(), giveUp);
            loop = started;
            started.start();
        }
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        PollingLoop running = loop;
        if (running != null) {
            running.stop();
            dispatcher.get().drain();
        }
    }

    /** The poller, with {@code STREAMER_NAME=POLLING} once started. */
    Optional<RunPoller> poller() {
        return Optional.ofNullable(loop);
    }

    Streamer streamer() {
        return streamer;
    }
}
