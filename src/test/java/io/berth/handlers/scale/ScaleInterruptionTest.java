package io.berth.handlers.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.handlers.RecordingRun;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;

/** An interrupted scale_service run (Berth's handler timeout, shutdown) stops waiting for the rollout at once. */
class ScaleInterruptionTest {

    KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(),
            new HashMap<>(), new KubernetesCrudDispatcher(), false);
    NamespacedKubernetesClient client;
    ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        worker.shutdownNow();
        client.close();
        server.destroy();
    }

    @Test
    void endsWithInterruptedExceptionWhenInterruptedDuringTheRollout() {
        server.init();
        client = server.createClient();
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata()
                .withName("cart").endMetadata().withNewSpec().withReplicas(1).endSpec().build()).create();
        ScaleService handler = new ScaleService(ScaleSettingsCheckTest.settings(Map.of("BERTH_SCALE_NAMESPACES", "shop",
                "BERTH_SCALE_POLL_INTERVAL", "50ms", "BERTH_SCALE_ROLLOUT_TIMEOUT", "5m")), () -> client);
        RecordingRun run = new RecordingRun("r_interrupted", "scale_service",
                JsonNodeFactory.instance.objectNode().put("service", "cart").put("replicas", 2));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();

        Future<?> task = worker.submit(() -> {
            try {
                handler.handle(run);
                ended.complete(null);
            } catch (Throwable failure) {
                ended.complete(failure);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> run.logs.stream().anyMatch(line -> line.contains("0 of 2")));
        task.cancel(true);

        assertThat(ended).succeedsWithin(Duration.ofSeconds(5)).isInstanceOf(InterruptedException.class);
        assertThat(client.apps().deployments().inNamespace("shop").withName("cart").get().getSpec().getReplicas())
                .isEqualTo(2);
    }
}
