package io.berth.ops;

import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.berth.delivery.ConsumerRoster;
import io.berth.delivery.InboundRecord;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code berth-delivery} in {@code /q/health/live}: DOWN when a record has been in flight longer
 * than {@code BERTH_HEALTH_STUCK_AFTER} (nothing ends it: only a restart, which redelivers it, can),
 * or when a trigger's or bridge subscription's consumer loop has ended while Berth is not stopping.
 * (The runs' and change log's channels are SmallRye's own liveness check.)
 */
@Liveness
@ApplicationScoped
final class DeliveryLiveness implements HealthCheck {

    private final RecordFlow flow;
    private final ConsumerRoster roster;
    private final Duration stuckAfter;
    private volatile boolean stopping;

    @Inject
    DeliveryLiveness(RecordFlow flow, ConsumerRoster roster, HealthSettings settings) {
        this.flow = flow;
        this.roster = roster;
        this.stuckAfter = settings.stuckAfter();
    }

    void check(@Observes StartupEvent event) {
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new ConfigurationException("Berth cannot start:\n  - BERTH_HEALTH_STUCK_AFTER is " + stuckAfter
                    + ": set a positive duration, e.g. BERTH_HEALTH_STUCK_AFTER=1h (the default)");
        }
    }

    /** Before the consumers stop (priority 2): their loops end on purpose from here on. */
    void stopping(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("berth-delivery").up()
                .withData("stuckAfter", stuckAfter.toString());
        flow.oldestInFlight().ifPresent(oldest -> {
            Map.Entry<InboundRecord, Duration> entry = oldest;
            answer.withData("oldestInFlight", entry.getKey() + " for " + entry.getValue().toSeconds() + " s");
            if (entry.getValue().compareTo(stuckAfter) > 0) {
                answer.down().withData("stuck", entry.getKey() + " has been in flight for more than "
                        + stuckAfter.toMinutes() + " min (BERTH_HEALTH_STUCK_AFTER)");
            }
        });
        if (!stopping) {
            for (ConsumerRoster.Member member : roster.members()) {
                if (member.hasStopped()) {
                    answer.down().withData(member.name(), "its consumer has stopped");
                }
            }
        }
        return answer.build();
    }
}
