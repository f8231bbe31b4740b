package io.berth.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.berth.retry.RetrySettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Berth's own settings, beyond port-agent's: {@code BERTH_*} environment variables, e.g.
 * {@code BERTH_RUNS_CONCURRENCY=32}.
 */
@ConfigMapping(prefix = "berth")
public interface BerthSettings {

    Runs runs();

    Port port();

    Webhook webhook();

    Kafka kafka();

    /** Berth's own Kafka client settings, beyond port-agent's {@code KAFKA_*}. */
    interface Kafka {

        /** {@code BERTH_KAFKA_GROUP_PROTOCOL}: {@code auto}, {@code classic} or {@code consumer} (KIP-848). */
        @WithDefault("auto")
        GroupProtocol groupProtocol();
    }

    interface Runs {

        /**
         * {@code BERTH_RUNS_ENABLED}: whether Berth consumes the runs topic. Unset: yes, unless a
         * triggers file is given without {@code PORT_ORG_ID} (see {@link RunsConsumption}).
         */
        Optional<Boolean> enabled();

        /** Runs handled at once. Runs of the same entity always go one after another. */
        @WithDefault("64")
        int concurrency();

        /** How many recent run ids Berth remembers to recognise a redelivered run. */
        @WithDefault("100000")
        int recentRunsMemory();

        /** Where bad records go, with the reason in their headers; default {@code {PORT_ORG_ID}.runs.dlq}. */
        Optional<String> deadLetterTopic();

        /** Records larger than this are dead-lettered unread. */
        @WithDefault("1048576")
        int maxRecordBytes();

        /**
         * The bytes of the records in flight at once (their values as read from Kafka); default a
         * tenth of the heap ({@link #DEFAULT_IN_FLIGHT_HEAP_SHARE}). A larger record still runs, alone.
         */
        OptionalLong maxInFlightBytes();

        /** With no {@code BERTH_RUNS_MAX_IN_FLIGHT_BYTES}, records in flight may take 1/this of the heap. */
        int DEFAULT_IN_FLIGHT_HEAP_SHARE = 10;

        /** On shutdown, how long in-flight runs may take to finish; the rest are redelivered later. */
        @WithDefault("20s")
        Duration shutdownGrace();

        /**
         * {@code BERTH_RUNS_REVOCATION_DRAIN}: when a rebalance gives one of this replica's partitions to
         * another, how long the partition's started runs may take to end before it is let go (its runs
         * not started yet are left to the next owner). A run still going then may run twice. Must stay
         * below {@code max.poll.interval.ms} (5 minutes) less 10 s for the commit.
         */
        @WithDefault("20s")
        Duration revocationDrain();

        /** A blocking handler taking longer than this fails its run. */
        @WithDefault("15m")
        Duration handlerTimeout();

        /**
         * {@code BERTH_RUNS_REQUIRE_SIGNATURE}: which runs must carry Port's valid signature; an
         * unsigned one is dead-lettered. See {@link SignatureRequirement}.
         */
        @WithDefault("unless-kafka")
        SignatureRequirement requireSignature();

        /**
         * {@code BERTH_RUNS_REPLAY_CHECK_AFTER}: a run whose signature or record timestamp is older than
         * this, and whose id this process does not remember, is looked up in Port before it is
         * handled; a run Port has ended is skipped.
         */
        @WithDefault("5m")
        Duration replayCheckAfter();
    }

    /** Settings of port-agent's mapping file beyond port-agent's own. */
    Mapping mapping();

    interface Mapping {

        /**
         * {@code BERTH_MAPPING_ENV_ALLOW}: environment variables a mapping may read under a name it
         * computes from the run ({@code env[...]}), as names or patterns with a leading or trailing
         * {@code *}, comma-separated. Names written literally ({@code env.NAME}) need no entry.
         */
        @WithDefault("*_GITLAB_TOKEN")
        List<String> envAllow();
    }

    interface Port {

        /** Time for one call to Port's API. */
        @WithDefault("10s")
        Duration timeout();

        /** Refresh the access token this long before it expires. */
        @WithDefault("5m")
        Duration tokenRefreshMargin();

        Retry retry();

        interface Retry extends RetrySettings {
            @Override
            @WithDefault("200ms")
            Duration initialDelay();

            @Override
            @WithDefault("2")
            double multiplier();

            @Override
            @WithDefault("0.3")
            double randomizationFactor();

            @Override
            @WithDefault("15s")
            Duration maxDelay();

            @Override
            @WithDefault("10")
            int maxAttempts();

            @Override
            @WithDefault("2m")
            Duration maxDuration();
        }
    }

    interface Webhook {

        /**
         * A webhook's answer is read up to this many bytes; the rest is not read and the answer is
         * reported as truncated. Default 1 MiB, the largest body Port accepts.
         */
        @WithDefault("1048576")
        int maxAnswerBytes();

        /** Redirects followed for one request; one more fails the run. */
        @WithDefault("10")
        int maxRedirects();

        Retry retry();

        interface Retry extends RetrySettings {
            @Override
            @WithDefault("500ms")
            Duration initialDelay();

            @Override
            @WithDefault("2")
            double multiplier();

            @Override
            @WithDefault("0.3")
            double randomizationFactor();

            @Override
            @WithDefault("10s")
            Duration maxDelay();

            @Override
            @WithDefault("4")
            int maxAttempts();

            @Override
            @WithDefault("2m")
            Duration maxDuration();
        }
    }
}
