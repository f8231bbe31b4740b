package io.berth.console;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.KafkaClientConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The runs consumer group's lag per partition: each partition's end offset minus the offset the
 * group committed. Berth commits what is acknowledged every second, so a lag that stays above zero
 * means runs waiting (or a run in flight); one that grows means Berth is falling behind.
 */
@ApplicationScoped
public final class ConsumerLag {

    private static final long TIMEOUT_SECONDS = 5;

    private final Instance<Map<String, Object>> connection;
    private final KafkaClientConfig kafka;
    private final RunsTopicPublisher runs;
    private Admin admin;

    @Inject
    ConsumerLag(@Identifier(KafkaClientConfig.PRODUCER) Instance<Map<String, Object>> connection,
            KafkaClientConfig kafka, RunsTopicPublisher runs) {
        this.connection = connection;
        this.kafka = kafka;
        this.runs = runs;
    }

    /** {@code {group, topic, partitions: [{partition, committed, end, lag}]}}, or {@code error}. */
    public ObjectNode now() {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("group", kafka.groupId())
                .put("topic", runs.runsTopic());
        try {
            Admin client = admin();
            Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(kafka.groupId())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<TopicPartition> partitions = client.describeTopics(List.of(runs.runsTopic())).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(runs.runsTopic()).partitions().stream()
                    .map(p -> new TopicPartition(runs.runsTopic(), p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = client.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ArrayNode rows = answer.putArray("partitions");
            for (TopicPartition partition : partitions) {
                long end = ends.get(partition).offset();
                OffsetAndMetadata commit = committed.get(partition);
                ObjectNode row = rows.addObject().put("partition", partition.partition()).put("end", end);
                if (commit == null) {
                    row.putNull("committed").put("lag", end);
                } else {
                    row.put("committed", commit.offset()).put("lag", Math.max(0, end - commit.offset()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.put("error", "interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            answer.put("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        return answer;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(connection.get());
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "berth-console-lag");
            // A lag figure that takes longer than this is not worth waiting for (the page asks every 3 s).
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
