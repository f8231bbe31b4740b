package io.berth.handlers.scale;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * Where a Deployment's rollout is, decided as {@code kubectl rollout status} decides: done once the
 * controller has seen the latest spec ({@code observedGeneration >= generation}), every replica is
 * updated, no old replica is left, and every updated one is available.
 */
record Rollout(boolean done, String description) {

    static Rollout of(Deployment deployment) {
        long generation = value(deployment.getMetadata().getGeneration());
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        int updated = value(status.getUpdatedReplicas());
        int total = value(status.getReplicas());
        int available = value(status.getAvailableReplicas());
        int ready = value(status.getReadyReplicas());
        String counts = ready + " of " + wanted + " ready, " + updated + " updated, " + available + " available";
        if (value(status.getObservedGeneration()) < generation) {
            return new Rollout(false, "waiting for the controller to see the change (" + counts + ")");
        }
        if (updated < wanted) {
            return new Rollout(false, counts);
        }
        if (total > updated) {
            return new Rollout(false, (total - updated) + " old replicas terminating (" + counts + ")");
        }
        if (available < updated) {
            return new Rollout(false, counts);
        }
        return new Rollout(true, counts);
    }

    private static int value(Integer count) {
        return count == null ? 0 : count;
    }

    private static long value(Long count) {
        return count == null ? 0 : count;
    }
}
