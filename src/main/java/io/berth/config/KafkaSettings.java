package io.berth.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Kafka side, through port-agent's environment variables ({@code KAFKA_*}). With no brokers
 * given but Port credentials present, Berth fetches brokers and SASL credentials from Port.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaSettings {

    /** {@code KAFKA_BROKERS}: comma-separated {@code host:port} list. */
    Optional<String> brokers();

    /** {@code KAFKA_RUNS_TOPIC}: defaults to {@code {PORT_ORG_ID}.runs}. */
    Optional<String> runsTopic();

    /** {@code KAFKA_CHANGE_LOG_TOPIC}: defaults to {@code {PORT_ORG_ID}.change.log}. */
    Optional<String> changeLogTopic();

    /** {@code KAFKA_SECURITY_PROTOCOL}: seed 001's name for {@code KAFKA_CONSUMER_SECURITY_PROTOCOL}. */
    Optional<String> securityProtocol();

    /** {@code KAFKA_SASL_*}: seed 001's names for the {@code KAFKA_CONSUMER_*} SASL settings. */
    Sasl sasl();

    /** {@code KAFKA_SSL_*}: TLS with PEM files, for every Kafka client Berth runs ({@link KafkaSecurity}). */
    Ssl ssl();

    Consumer consumer();

    interface Sasl {

        /** {@code KAFKA_SASL_MECHANISM}: an alias of {@code KAFKA_CONSUMER_AUTHENTICATION_MECHANISM}. */
        Optional<String> mechanism();

        /** {@code KAFKA_SASL_USERNAME}: an alias of {@code KAFKA_CONSUMER_USERNAME}. */
        Optional<String> username();

        /** {@code KAFKA_SASL_PASSWORD}: an alias of {@code KAFKA_CONSUMER_PASSWORD}. */
        Optional<Secret> password();
    }

    interface Ssl {

        /** {@code KAFKA_SSL_CAFILE}: PEM certificates of the authorities that sign the brokers' certificates. */
        Optional<String> cafile();

        /** {@code KAFKA_SSL_CERTFILE}: PEM client certificate (and its chain), for mutual TLS. */
        Optional<String> certfile();

        /** {@code KAFKA_SSL_KEYFILE}: the client certificate's PKCS#8 PEM private key. */
        Optional<String> keyfile();

        /** {@code KAFKA_SSL_KEY_PASSWORD}: the password of an encrypted {@code KAFKA_SSL_KEYFILE}. */
        Optional<Secret> keyPassword();
    }

    interface Consumer {

        /** {@code KAFKA_CONSUMER_BOOTSTRAP_SERVERS}: an alias of {@code KAFKA_BROKERS}. */
        Optional<String> bootstrapServers();

        /** {@code KAFKA_CONSUMER_GROUP_ID}: must start with {@code {PORT_ORG_ID}.}; default {@code {PORT_ORG_ID}.berth}. */
        Optional<String> groupId();

        /** {@code KAFKA_CONSUMER_SECURITY_PROTOCOL}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
        Optional<String> securityProtocol();

        /** {@code KAFKA_CONSUMER_AUTHENTICATION_MECHANISM}: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (or none). */
        Optional<String> authenticationMechanism();

        /** {@code KAFKA_CONSUMER_USERNAME}. */
        Optional<String> username();

        /** {@code KAFKA_CONSUMER_PASSWORD}. */
        Optional<Secret> password();

        /**
         * {@code KAFKA_CONSUMER_AUTO_OFFSET_RESET}: where a new consumer group starts. {@code latest}
         * (port-agent's {@code largest}) by default, so that a first start does not replay the whole
         * retained topic; librdkafka's {@code smallest}/{@code largest} are accepted.
         */
        @WithDefault("latest")
        String autoOffsetReset();

        /**
         * {@code KAFKA_CONSUMER_SESSION_TIMEOUT_MS}: the runs and change-log consumers'
         * {@code session.timeout.ms}; unset, Kafka's default, 45000, which is port-agent's.
         */
        Optional<Integer> sessionTimeoutMs();
    }
}
