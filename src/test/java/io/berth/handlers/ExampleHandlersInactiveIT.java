package io.berth.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.outbound.Outbound;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandInResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Berth as configured by default: neither {@code deploy_service} nor {@code scale_service} is
 * offered, each says which setting is missing, and no Kubernetes client exists.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class ExampleHandlersInactiveIT {

    @Inject
    JavaHandlers handlers;

    @Test
    void offersNeitherHandlerWithoutItsSettingsAndSaysWhichIsMissing() {
        assertThat(handlers.actions()).doesNotContainKeys("deploy_service", "scale_service");
        assertThat(handlers.inactive())
                .containsEntry("java:DeployService", "none of BERTH_DEPLOY_GITHUB_REPOSITORY, "
                        + "BERTH_DEPLOY_GITLAB_PROJECT, BERTH_DEPLOY_ARGOCD_URL is set")
                .containsEntry("java:ScaleService", "BERTH_SCALE_NAMESPACES is not set");
    }

    @Test
    void buildsNoKubernetesClientWhileScaleServiceIsInactive() {
        List<Object> types = Arc.container().getActiveContext(Singleton.class).getState().getContextualInstances()
                .keySet().stream().flatMap(bean -> bean.getTypes().stream()).map(Object.class::cast).toList();

        assertThat(types).contains(Outbound.class); // created singletons are seen: Berth's own is there
        assertThat(types).doesNotContain(KubernetesClient.class, Config.class);
    }
}
