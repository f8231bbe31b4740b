package io.berth.handlers.scale;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code scale_service}'s settings: {@code BERTH_SCALE_*}. The cluster is the one Quarkus's
 * Kubernetes client finds (in a pod: its service account; else {@code ~/.kube/config}, or
 * {@code QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL} and its siblings).
 */
@ConfigMapping(prefix = "berth.scale")
public interface ScaleSettings {

    /**
     * {@code BERTH_SCALE_NAMESPACES}: the namespaces runs may scale in, comma-separated; the first is
     * the default when a run names none. Unset: the handler is not offered.
     */
    Optional<List<String>> namespaces();

    /** {@code BERTH_SCALE_MAX_REPLICAS}: the most replicas a run may ask for. */
    @WithDefault("20")
    int maxReplicas();

    /** {@code BERTH_SCALE_ROLLOUT_TIMEOUT}: how long the rollout may take before the run fails. */
    @WithDefault("5m")
    Duration rolloutTimeout();

    /** {@code BERTH_SCALE_POLL_INTERVAL}: how often the Deployment's status is read during the rollout. */
    @WithDefault("2s")
    Duration pollInterval();
}
