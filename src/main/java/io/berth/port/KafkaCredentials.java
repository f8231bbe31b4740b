package io.berth.port;

import java.util.List;

import io.berth.config.Secret;

/** The Kafka brokers and SASL credentials Port issues to an organisation. */
public record KafkaCredentials(List<String> brokers, String username, Secret password) {

    public KafkaCredentials {
        brokers = List.copyOf(brokers);
    }
}
