package io.berth.publish;

import io.smallrye.mutiny.Uni;

/**
 * Publishes a run's record to Kafka. The {@link Uni} ends only once the broker acknowledged it
 * ({@link Published}), or fails with a {@link PublishFailedException} saying why. Never blocks the
 * caller's thread.
 */
public interface KafkaPublisher {

    Uni<Published> publish(Publication publication);
}
