package io.berth.handlers.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.handlers.RecordingRun;
import io.berth.outbound.Outbound;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;

/** A cancelled deploy_service run (Berth's handler timeout, shutdown) stops polling at once. */
class DeployCancellationTest {

    CiStandIns ci = CiStandIns.start();
    Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
        ci.stop();
    }

    @Test
    void stopsPollingWhenTheRunIsCancelled() {
        DeploySettings settings = DeploySettingsCheckTest.settings(Map.of(
                "BERTH_DEPLOY_GITLAB_PROJECT", CiStandIns.PROJECT, "BERTH_DEPLOY_GITLAB_URL", ci.gitlabUrl().toString(),
                "BERTH_DEPLOY_GITLAB_TRIGGER_TOKEN", CiStandIns.GITLAB_TRIGGER_TOKEN,
                "BERTH_DEPLOY_GITLAB_TOKEN", CiStandIns.GITLAB_TOKEN, "BERTH_DEPLOY_POLL_INTERVAL", "50ms"));
        DeployService handler = new DeployService(settings, vertx, Outbound.direct());
        RecordingRun run = new RecordingRun("r_cancelled", "deploy_service",
                JsonNodeFactory.instance.objectNode().put("service", "stuck-ledger"));

        Cancellable subscription = handler.handle(run).subscribe().with(result -> {
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ci.calls("GET", "/pipelines/").size() >= 3);
        subscription.cancel();
        int polledBeforeCancelling = ci.calls("GET", "/pipelines/").size();

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> ci.calls("GET", "/pipelines/").size() <= polledBeforeCancelling + 1);
        assertThat(run.logs).anySatisfy(line -> assertThat(line).contains("GitLab").contains("running"));
    }
}
