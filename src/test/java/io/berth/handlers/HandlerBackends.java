package io.berth.handlers;

import java.util.HashMap;
import java.util.Map;

import io.berth.handlers.deploy.CiStandIns;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The backends of {@code deploy_service} and {@code scale_service} for one Quarkus test: the CI/CD
 * stand-ins ({@link CiStandIns}) and fabric8's Kubernetes mock server in CRUD mode (it stores what
 * it is sent; no controller runs, so a test plays the Deployment controller by writing the status).
 * Configures both handlers against them, with short polls and bounds.
 */
public final class HandlerBackends implements QuarkusTestResourceLifecycleManager {

    private static volatile CiStandIns ci;
    private static volatile KubernetesMockServer kubernetes;
    private static volatile NamespacedKubernetesClient kubernetesClient;

    @Override
    public Map<String, String> start() {
        ci = CiStandIns.start();
        kubernetes = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        kubernetesClient = kubernetes.createClient();
        Map<String, String> config = new HashMap<>();
        config.put("berth.deploy.github.repository", CiStandIns.REPOSITORY);
        config.put("berth.deploy.github.workflow", CiStandIns.WORKFLOW);
        config.put("berth.deploy.github.token", CiStandIns.GITHUB_TOKEN);
        config.put("berth.deploy.github.api-url", ci.githubApiUrl().toString());
        config.put("berth.deploy.gitlab.project", CiStandIns.PROJECT);
        config.put("berth.deploy.gitlab.trigger-token", CiStandIns.GITLAB_TRIGGER_TOKEN);
        config.put("berth.deploy.gitlab.token", CiStandIns.GITLAB_TOKEN);
        config.put("berth.deploy.gitlab.url", ci.gitlabUrl().toString());
        config.put("berth.deploy.argocd.url", ci.argoCdUrl().toString());
        config.put("berth.deploy.argocd.token", CiStandIns.ARGOCD_TOKEN);
        config.put("berth.deploy.poll-interval", "100ms");
        config.put("berth.deploy.timeout", "3s");
        config.put("berth.scale.namespaces", "shop,staging");
        config.put("berth.scale.poll-interval", "100ms");
        config.put("berth.scale.rollout-timeout", "3s");
        config.put("quarkus.kubernetes-client.api-server-url", kubernetes.url("/"));
        config.put("quarkus.kubernetes-client.trust-certs", "true");
        config.put("quarkus.kubernetes-client.namespace", "shop");
        return config;
    }

    @Override
    public void stop() {
        if (kubernetesClient != null) {
            kubernetesClient.close();
        }
        if (kubernetes != null) {
            kubernetes.destroy();
        }
        if (ci != null) {
            ci.stop();
        }
    }

    public static CiStandIns ci() {
        return ci;
    }

    /** A client of the mock server, for the test's own reads and writes (the controller's part). */
    public static NamespacedKubernetesClient kubernetes() {
        return kubernetesClient;
    }
}
