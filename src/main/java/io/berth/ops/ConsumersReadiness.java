package io.berth.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.berth.delivery.ConsumerRoster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code berth-consumers} in {@code /q/health/ready}: UP once every Kafka consumer Berth runs (runs,
 * change log, each trigger, each bridge subscription) has joined its group, which takes the brokers
 * answering; one entry per consumer with its group and partition count. A member with no partition
 * is ready (a standby of its group).
 */
@Readiness
@ApplicationScoped
final class ConsumersReadiness implements HealthCheck {

    private final ConsumerRoster roster;

    @Inject
    ConsumersReadiness(ConsumerRoster roster) {
        this.roster = roster;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("berth-consumers").up();
        for (ConsumerRoster.Member member : roster.members()) {
            if (!member.joined()) {
                answer.down();
            }
            answer.withData(member.name(), member.joined()
                    ? "joined " + member.group() + ", " + member.assignedPartitions() + " partitions of " + member.topic()
                    : (member.hasStopped() ? "stopped, " : "not joined ") + member.group() + " yet");
        }
        return answer.build();
    }
}
