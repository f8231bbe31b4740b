package io.berth.ops.lag;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code berth-consumer-lag} in the {@code lag} group ({@code /q/health/group/lag}), never in
 * liveness (a restart does not catch up) nor in readiness (a lagging Berth still serves): DOWN when,
 * after the grace period, a group signals ({@link GroupLag#signalling}). Its data has one entry per
 * group: seed 003's {@code {"lag": {"topic": {"partition-0": 50}}}} with each topic's consuming
 * members, partition count and limit, and the topics that signal. The check hands each entry over as JSON text
 * (SmallRye Health's data holds only strings, numbers and booleans); {@link LagHealthContent} writes it
 * out as the JSON object it spells.
 */
@HealthGroup("lag")
@ApplicationScoped
final class LagHealth implements HealthCheck {

    static final String NAME = "berth-consumer-lag";

    private final LagMonitor monitor;
    private final ObjectMapper mapper;

    @Inject
    LagHealth(LagMonitor monitor, ObjectMapper mapper) {
        this.monitor = monitor;
        this.mapper = mapper;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named(NAME).up();
        LagMonitor.Report report = monitor.latest();
        if (report == null) {
            return answer.withData("measuredAt", "not yet").build();
        }
        answer.withData("measuredAt", report.at().toString());
        for (GroupLag group : report.groups()) {
            if (!group.signalling().isEmpty() && monitor.graceOver()) {
                answer.down();
            }
            answer.withData(group.group(), json(group));
        }
        return answer.build();
    }

    private String json(GroupLag group) {
        ObjectNode node = mapper.createObjectNode();
        if (group.error() != null) {
            node.put("error", group.error());
        } else {
            ObjectNode lag = node.putObject("lag");
            ObjectNode partitions = mapper.createObjectNode();
            ObjectNode limits = mapper.createObjectNode();
            ObjectNode members = mapper.createObjectNode();
            for (Map.Entry<String, GroupLag.TopicLag> topic : group.topics().entrySet()) {
                ObjectNode byPartition = lag.putObject(topic.getKey());
                topic.getValue().lag().forEach((partition, records) -> byPartition.put("partition-" + partition, records));
                partitions.put(topic.getKey(), topic.getValue().partitions());
                limits.put(topic.getKey(), topic.getValue().limit());
                members.put(topic.getKey(), topic.getValue().members());
            }
            node.set("members", members);
            node.set("partitions", partitions);
            node.set("limits", limits);
            List<String> signalling = group.signalling();
            if (!signalling.isEmpty()) {
                signalling.forEach(node.putArray("signal")::add);
            }
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
