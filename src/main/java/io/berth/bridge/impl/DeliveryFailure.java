package io.berth.bridge.impl;

import java.time.Instant;
import java.util.List;

/**
 * Why a record could not be delivered, for its dead letter ({@link KafkaHooksDeadLetter}): each
 * failed attempt and what it got. Travels as the {@link io.berth.delivery.UnusableRecord}'s detail.
 *
 * @param configuredAttempts the subscription's {@code retries} (kafka-hooks writes it as {@code retries})
 */
record DeliveryFailure(List<Attempt> attempts, int configuredAttempts) {

    DeliveryFailure {
        attempts = List.copyOf(attempts);
    }

    /**
     * One failed attempt.
     *
     * @param status the answer's status, or null when there was no answer
     * @param message what went wrong, safe to store (no url query, header or token)
     * @param body an excerpt of the answer's body, or null
     */
    record Attempt(int number, Instant requestedAt, Integer status, String message, String body) {
    }
}
