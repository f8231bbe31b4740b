package io.berth.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.jboss.logging.Logger;

/**
 * Picks the consumer group protocol for {@link GroupProtocol#AUTO}: asks the brokers, once, at
 * start-up, whether they finalize {@code group.version} 1 or more (the feature that turns KIP-848's
 * protocol on, by default on Kafka 4.0+ clusters), and falls back to the classic protocol when they
 * do not or cannot say (older brokers, no permission to describe the cluster, a timeout).
 */
final class GroupProtocolChoice {

    private static final Logger LOG = Logger.getLogger(GroupProtocolChoice.class);

    /** The feature whose level 1 enables the {@code consumer} group protocol (KIP-848). */
    static final String GROUP_VERSION = "group.version";

    private static final Duration ASK_WITHIN = Duration.ofSeconds(10);

    private GroupProtocolChoice() {
    }

    /**
     * {@code consumer} or {@code classic}, Kafka's value of {@code group.protocol}.
     *
     * @param sessionTimeoutSet whether {@code KAFKA_CONSUMER_SESSION_TIMEOUT_MS} is set: the consumer
     *        protocol keeps the session timeout on the broker and refuses it from a client, so a
     *        port-agent user who set it keeps the classic protocol, where it is honoured
     */
    static String resolve(GroupProtocol setting, Map<String, Object> connection, boolean sessionTimeoutSet) {
        if (setting == GroupProtocol.AUTO && sessionTimeoutSet) {
            LOG.info("Kafka consumer group protocol: classic (KAFKA_CONSUMER_SESSION_TIMEOUT_MS is set, and the "
                    + "consumer protocol takes the session timeout from the broker only)");
            return "classic";
        }
        return resolve(setting, connection, ASK_WITHIN);
    }

    /** @param within how long the brokers may take to answer before the classic protocol is chosen */
    static String resolve(GroupProtocol setting, Map<String, Object> connection, Duration within) {
        return switch (setting) {
            case CLASSIC -> "classic";
            case CONSUMER -> "consumer";
            case AUTO -> asked(connection, within);
        };
    }

    private static String asked(Map<String, Object> connection, Duration within) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) within.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) within.toMillis());
        try (Admin admin = Admin.create(config)) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata()
                    .get(within.toMillis(), TimeUnit.MILLISECONDS);
            FinalizedVersionRange group = features.finalizedFeatures().get(GROUP_VERSION);
            if (supportsConsumerProtocol(group)) {
                LOG.infof("Kafka consumer group protocol: consumer (KIP-848; the brokers finalize %s %d)", GROUP_VERSION,
                        group.maxVersionLevel());
                return "consumer";
            }
            LOG.infof("Kafka consumer group protocol: classic (the brokers do not finalize %s 1; "
                    + "BERTH_KAFKA_GROUP_PROTOCOL=auto)", GROUP_VERSION);
            return "classic";
        } catch (ExecutionException | TimeoutException | RuntimeException unanswered) {
            LOG.infof("Kafka consumer group protocol: classic (the brokers' features could not be read: %s; "
                    + "BERTH_KAFKA_GROUP_PROTOCOL=consumer forces the new protocol)",
                    (unanswered instanceof ExecutionException ? unanswered.getCause() : unanswered).getClass().getSimpleName());
            return "classic";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "classic";
        }
    }

    static boolean supportsConsumerProtocol(FinalizedVersionRange groupVersion) {
        return groupVersion != null && groupVersion.maxVersionLevel() >= 1;
    }
}
