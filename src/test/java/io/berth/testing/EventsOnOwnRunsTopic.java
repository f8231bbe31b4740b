package io.berth.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile: lifecycle events on, under a prefix of their own ({@value #EVENTS_PREFIX}), and a
 * runs topic of its own ({@value #RUNS_TOPIC}, the broker creates it on first use, with its
 * {@code .dlq}), so that neither events nor dead letters land among those other tests count.
 *
 * <p>Shared by the tests that need only that ({@code LifecycleEventsIT}, {@code ConsoleIT}): each
 * distinct profile costs the suite a Quarkus build and a start, one profile serves both. They tell
 * their runs and dead letters apart by run id and payload.
 */
public final class EventsOnOwnRunsTopic implements QuarkusTestProfile {

    public static final String RUNS_TOPIC = "org_test.events.runs";
    public static final String EVENTS_PREFIX = "it.events";
    public static final String STATUS = EVENTS_PREFIX + ".task.status";
    public static final String COMPLETION = EVENTS_PREFIX + ".task.completion";
    public static final String DEPLOYMENTS = EVENTS_PREFIX + ".datacenter.deployment";

    @Override
    public Map<String, String> getConfigOverrides() {
        // Before the application starts, whichever test runs first: three partitions each, a run's
        // events must stay on one, by their key (a topic the broker made on first use would have one).
        for (String topic : List.of(STATUS, COMPLETION, DEPLOYMENTS)) {
            KafkaBrokerResource.createTopic(topic, 3);
        }
        return Map.of("berth.events.enabled", "true", "berth.events.topic-prefix", EVENTS_PREFIX,
                "kafka.runs-topic", RUNS_TOPIC, "berth.runs.dead-letter-topic", RUNS_TOPIC + ".dlq");
    }
}
