package io.berth.handlers.scale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** A rollout is done when kubectl rollout status would say so, and not before. */
class RolloutTest {

    static Deployment deployment(long generation, int wanted, Long observed, int total, int updated, int available) {
        return new DeploymentBuilder().withNewMetadata().withName("cart").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(wanted).endSpec().withNewStatus().withObservedGeneration(observed)
                .withReplicas(total).withUpdatedReplicas(updated).withAvailableReplicas(available)
                .withReadyReplicas(available).endStatus().build();
    }

    @Test
    void waitsForTheControllerToSeeTheNewSpec() {
        assertThat(Rollout.of(deployment(3, 3, 2L, 3, 3, 3))).isEqualTo(new Rollout(false,
                "waiting for the controller to see the change (3 of 3 ready, 3 updated, 3 available)"));
    }

    @Test
    void waitsForUpdatedAvailableReplicasAndForOldOnesToGo() {
        assertThat(Rollout.of(deployment(3, 3, 3L, 3, 2, 2)).done()).isFalse();
        assertThat(Rollout.of(deployment(3, 3, 3L, 4, 3, 3)).description()).startsWith("1 old replicas terminating");
        assertThat(Rollout.of(deployment(3, 3, 3L, 3, 3, 2)).done()).isFalse();
    }

    @Test
    void isDoneWhenEveryReplicaIsUpdatedAndAvailable() {
        assertThat(Rollout.of(deployment(3, 3, 3L, 3, 3, 3)))
                .isEqualTo(new Rollout(true, "3 of 3 ready, 3 updated, 3 available"));
    }

    @Test
    void isDoneScaledToZeroWithNoReplicaLeft() {
        Deployment scaledDown = new DeploymentBuilder().withNewMetadata().withName("cart").withGeneration(4L)
                .endMetadata().withNewSpec().withReplicas(0).endSpec().withNewStatus().withObservedGeneration(4L)
                .endStatus().build();

        assertThat(Rollout.of(scaledDown).done()).isTrue();
    }
}
