package io.berth.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link PortStandIn} for a Quarkus test and points the application at it.
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
 * class ReportingIT {
 *     PortStandIn port; // injected: any field of type PortStandIn
 *
 *     @BeforeEach
 *     void clean() { port.reset(); }
 * }
 * }</pre>
 *
 * Tests may also call {@link #standIn()}.
 */
public final class PortStandInResource implements QuarkusTestResourceLifecycleManager {

    private static volatile PortStandIn standIn;

    @Override
    public Map<String, String> start() {
        PortStandIn started = PortStandIn.start();
        standIn = started;
        return Map.of(
                "port.api-base-url", started.baseUrl().toString(),
                "port.client-id", PortStandIn.CLIENT_ID,
                "port.client-secret", PortStandIn.CLIENT_SECRET);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(standIn, new TestInjector.MatchesType(PortStandIn.class));
    }

    @Override
    public void stop() {
        PortStandIn running = standIn;
        if (running != null) {
            running.stop();
        }
    }

    /** The running stand-in. */
    public static PortStandIn standIn() {
        PortStandIn running = standIn;
        if (running == null) {
            throw new IllegalStateException("PortStandInResource has not started: add it with @QuarkusTestResource");
        }
        return running;
    }
}
