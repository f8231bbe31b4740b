package io.berth.runs.impl;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.tracing.Tracing;
import io.berth.config.BerthSettings;
import io.berth.config.PortSettings;
import io.berth.config.Secret;
import io.berth.config.Streamer;
import io.berth.config.StreamerSettings;
import io.berth.config.KafkaClientConfig;
import io.berth.delivery.ConsumerRoster;
import io.berth.delivery.RecordDispatcher;
import io.berth.delivery.RecordOutcomeListener;
import io.berth.delivery.StopSignal;
import io.berth.delivery.impl.KafkaDeadLetters;
import io.berth.delivery.impl.PartitionHandover;
import io.berth.delivery.impl.RecordDispatcherImpl;
import io.berth.delivery.impl.RosterRebalance;
import io.berth.handlers.JavaHandlers;
import io.berth.handlers.RunResult;
import io.berth.handlers.RunRoute;
import io.berth.port.PortClient;
import io.berth.runs.RunContext;
import io.berth.runs.RunObserver;
import io.berth.runs.RunReceived;
import io.berth.webhook.WebhookInvoker;
import io.berth.webhook.WebhookRoute;
import io.quarkus.arc.DefaultBean;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Builds the run pipeline: the one place that decides which parts it is made of. The delivery core
 * ({@link RecordDispatcherImpl}) is the same for every capability; the runs give it their
 * {@link RunRecordHandler} and their dead-letter topic.
 *
 * <p>Routing order: a Java handler declaring the action wins; otherwise the first matching entry of
 * port-agent's mapping file; otherwise nobody (the run is another executor's).
 */
@ApplicationScoped
final class RunsWiring {

    /** The runs' dispatcher, for the channel that feeds it. */
    static final String RUNS = "runs";

    static final String DEAD_LETTER_CHANNEL = "runs-dead-letters";

    private final Instance<MutinyEmitter<byte[]>> deadLetterTopic;

    /** @param deadLetterTopic looked up only with the Kafka streamer: polling connects to no Kafka */
    /** A span per record (off unless tracing is enabled): injected here to keep the constructor as it is. */
    @Inject
    Tracing tracing;

    @Inject
    RunsWiring(@Channel(DEAD_LETTER_CHANNEL) Instance<MutinyEmitter<byte[]>> deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    @Produces
    @ApplicationScoped
    @Identifier(RUNS)
    RecordDispatcher runDispatcher(BerthSettings berth, PortSettings portSettings, ObjectMapper mapper,
            JavaHandlers javaHandlers, WebhookInvoker webhooks, PortClient port, AssignmentWatermarks watermarks,
            Instance<RecordOutcomeListener> listeners, RunObserver observer, Instance<RunReceived.Listener> receivers,
            StreamerSettings streamer) {
        BerthSettings.Runs runs = berth.runs();
        // Polled runs come from Port's API with Berth's own token: no topic, no dead-letter topic.
        boolean polled = Streamer.of(streamer) == Streamer.POLLING;
        RunMessageParser parser = new RunMessageParser(mapper, portSettings.clientSecret().orElse(Secret.of("")),
                runs.maxRecordBytes(), new SignaturePolicy(runs.requireSignature()),
                polled ? RunMessageParser.Origin.PORT_API : RunMessageParser.Origin.TOPIC);
        RunRouter router = run -> javaHandlers.route(run.action())
                .or(() -> webhooks.route(run.message()).map(route -> (RunRoute) new MappingRoute(webhooks, route)));
        StopSignal stop = new StopSignal();
        List<RunReceived.Listener> told = receivers.stream().toList();
        return RecordDispatcherImpl.builder("run")
                .handler(new RunRecordHandler(parser, router, port, watermarks, runs.recentRunsMemory(), observer,
                        received -> told.forEach(listener -> listener.onReceived(received)), new ReplayCheck(runs.replayCheckAfter(), Clock.systemUTC()), stop))
                .deadLetters(polled ? new PortDeadLetters(port)
                        : new KafkaDeadLetters(deadLetterTopic.get(), runs.maxRecordBytes()))
                .listeners(listeners.stream().toList())
                .concurrency(runs.concurrency())
                .maxInFlightBytes(maxInFlightBytes(runs))
                .shutdownGrace(runs.shutdownGrace())
                .stopSignal(stop)
                .tracing(tracing)
                .build();
    }

    /**
     * The runs channel's rebalance listener: a revoked partition is let go only once its started runs
     * have ended (within {@code BERTH_RUNS_REVOCATION_DRAIN}) and what ended is committed.
     */
    @Produces
    @ApplicationScoped
    @Identifier(AssignmentWatermarks.NAME)
    KafkaConsumerRebalanceListener runsHandover(@Identifier(RUNS) RecordDispatcher dispatcher,
            AssignmentWatermarks watermarks, BerthSettings berth, Config config, ConsumerRoster roster,
            KafkaClientConfig kafka, @Identifier(KafkaClientConfig.PRODUCER) Map<String, Object> connection) {
        // Built with the channel: a Berth that consumes no runs enlists no runs consumer.
        ConsumerRoster.Member member = roster.enlist(ConsumerRoster.Capability.RUNS, "runs", kafka.groupId(),
                config.getValue("mp.messaging.incoming." + RunsChannel.CHANNEL + ".topic", String.class), connection);
        return PartitionHandover.of(dispatcher, RunsChannel.CHANNEL, "BERTH_RUNS_REVOCATION_DRAIN",
                berth.runs().revocationDrain(), config, new RosterRebalance(member, watermarks));
    }

    /** No observer unless a capability (lifecycle events) brings one. */
    @Produces
    @DefaultBean
    @ApplicationScoped
    RunObserver noObserver() {
        return new RunObserver() {
        };
    }

    /**
     * {@code BERTH_RUNS_MAX_IN_FLIGHT_BYTES}, or a share of the heap: a parsed record takes a few
     * times its size, and the connector's queue and the webhook bodies need room too.
     */
    static long maxInFlightBytes(BerthSettings.Runs runs) {
        return runs.maxInFlightBytes()
                .orElse(Runtime.getRuntime().maxMemory() / BerthSettings.Runs.DEFAULT_IN_FLIGHT_HEAP_SHARE);
    }

    /** A mapping-file entry as a route. */
    private record MappingRoute(WebhookInvoker invoker, WebhookRoute route) implements RunRoute {
        @Override
        public String name() {
            return "mapping#" + route.mappingIndex();
        }

        /** Port signs every run it routes to an agent's webhook; the mapping file takes no other. */
        @Override
        public boolean signedRunsOnly() {
            return true;
        }

        @Override
        public Uni<RunResult> run(RunContext run) {
            return invoker.invoke(route, run);
        }
    }
}
