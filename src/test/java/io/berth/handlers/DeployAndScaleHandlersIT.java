package io.berth.handlers;

import static io.berth.runs.Runs.inputs;
import static io.berth.runs.Runs.v1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.deploy.CiStandIns;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * {@code deploy_service} and {@code scale_service} end to end: runs from the real broker, Port stood
 * in, the CI/CD systems stood in as their REST APIs behave ({@link CiStandIns}), Deployments in the
 * Kubernetes mock server ({@link HandlerBackends}).
 */
@QuarkusTest
@WithTestResource(HandlerBackends.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class DeployAndScaleHandlersIT {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    PortStandIn port = PortStandInResource.standIn();
    CiStandIns ci = HandlerBackends.ci();
    KubernetesClient kubernetes = HandlerBackends.kubernetes();

    @Inject
    JavaHandlers handlers;

    @AfterEach
    void restoreRunDetails() {
        ci.returnRunDetails(true);
    }

    static String runId() {
        return "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    String run(String action, ObjectNode inputs) {
        String runId = runId();
        ObjectNode message = v1(runId, action, null, inputs);
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC, runId, message.toString()))
                .awaitCompletion(WITHIN);
        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        return runId;
    }

    String summary(String runId) {
        List<JsonNode> patches = port.patches(runId);
        return patches.get(patches.size() - 1).path("summary").asText();
    }

    List<String> links(String runId) {
        return port.patches(runId).stream().filter(patch -> patch.has("link"))
                .map(patch -> patch.path("link").isArray() ? patch.path("link").path(0).asText()
                        : patch.path("link").asText())
                .toList();
    }

    @Test
    void offersBothHandlersOnceConfigured() {
        assertThat(handlers.actions()).containsEntry("deploy_service", "java:DeployService")
                .containsEntry("scale_service", "java:ScaleService");
        assertThat(handlers.inactive()).doesNotContainKeys("java:DeployService", "java:ScaleService");
    }

    // ---- deploy_service ---------------------------------------------------------------------------

    @Test
    void deploysThroughAGitHubWorkflowDispatchAndLinksTheRun() throws Exception {
        String runId = run("deploy_service", inputs("system", "github", "service", "checkout", "version", "1.4.2",
                "environment", "production"));

        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(summary(runId)).isEqualTo("Deployed checkout 1.4.2 to production with GitHub Actions");
        CiStandIns.Call dispatch = ci.calls("POST", "/dispatches").stream()
                .filter(call -> call.body().contains(runId)).findFirst().orElseThrow();
        assertThat(dispatch.path()).isEqualTo("/api/v3/repos/acme/checkout/actions/workflows/deploy.yml/dispatches");
        assertThat(dispatch.headers()).containsEntry("authorization", "Bearer " + CiStandIns.GITHUB_TOKEN)
                .containsEntry("accept", "application/vnd.github+json")
                .containsEntry("x-github-api-version", "2022-11-28");
        JsonNode body = JSON.readTree(dispatch.body());
        assertThat(body.path("ref").asText()).isEqualTo("main");
        assertThat(body.path("return_run_details").asBoolean()).isTrue();
        assertThat(body.path("inputs")).isEqualTo(inputs("service", "checkout", "version", "1.4.2", "environment",
                "production", "port_run_id", runId));
        assertThat(links(runId)).singleElement().asString()
                .startsWith("https://github.example.com/acme/checkout/actions/runs/");
        assertThat(port.logs(runId)).anySatisfy(line -> assertThat(line).contains("GitHub Actions").contains("queued"))
                .anySatisfy(line -> assertThat(line).contains("in_progress"))
                .anySatisfy(line -> assertThat(line).startsWith("[100%]").contains("conclusion success"));
    }

    @Test
    void findsTheDispatchedRunWhenGitHubReturnsNoRunDetails() {
        ci.returnRunDetails(false);
        String runId = run("deploy_service", inputs("system", "github", "service", "checkout", "version", "1.4.3"));

        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(ci.calls("GET", "/actions/workflows/deploy.yml/runs")).anySatisfy(call -> assertThat(call.query())
                .contains("event=workflow_dispatch").contains("branch=main").contains("created=%3E%3D"));
        assertThat(links(runId)).singleElement().asString().contains("/actions/runs/");
    }

    @Test
    void failsTheRunWithTheConclusionWhenTheGitLabPipelineFails() {
        String runId = run("deploy_service", inputs("system", "gitlab", "service", "broken-billing", "version", "2.0.0"));

        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(summary(runId)).isEqualTo("GitLab did not deploy broken-billing 2.0.0: failed");
        assertThat(links(runId)).singleElement().asString().startsWith("https://gitlab.example.com/acme/checkout/-/pipelines/");
        CiStandIns.Call trigger = ci.calls("POST", "/trigger/pipeline").stream()
                .filter(call -> call.body().contains(runId)).findFirst().orElseThrow();
        assertThat(trigger.path()).isEqualTo("/gitlab/api/v4/projects/acme%2Fcheckout/trigger/pipeline");
        assertThat(trigger.body()).contains("token=" + CiStandIns.GITLAB_TRIGGER_TOKEN).contains("ref=main")
                .contains("variables%5BSERVICE%5D=broken-billing").contains("variables%5BVERSION%5D=2.0.0");
        assertThat(port.logs(runId)).anySatisfy(line -> assertThat(line).contains("GitLab").contains("running"));
    }

    @Test
    void syncsAnArgoCdApplicationAndWaitsUntilItIsHealthy() {
        String runId = run("deploy_service", inputs("system", "argocd", "service", "checkout", "version", "v1.4.2"));

        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(links(runId)).containsExactly(ci.argoCdUrl() + "/applications/checkout");
        assertThat(ci.calls("POST", "/argocd/api/v1/applications/checkout/sync")).last()
                .satisfies(call -> assertThat(call.body()).contains("\"revision\":\"v1.4.2\""));
        assertThat(port.logs(runId)).anySatisfy(line -> assertThat(line).contains("sync Running"))
                .anySatisfy(line -> assertThat(line).contains("Progressing"))
                .anySatisfy(line -> assertThat(line).contains("Synced, Healthy"));
    }

    @Test
    void failsTheRunWhenTheDeploymentOutlivesItsBound() {
        String runId = run("deploy_service", inputs("system", "argocd", "service", "stuck-ledger"));

        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(summary(runId)).contains("Argo CD stuck-ledger did not finish within PT3S")
                .contains("Progressing").contains(ci.argoCdUrl() + "/applications/stuck-ledger")
                .contains("BERTH_DEPLOY_TIMEOUT");
    }

    @Test
    void failsTheRunWithAnActionableMessageWhenArgoCdRefusesTheApplication() {
        String runId = run("deploy_service", inputs("system", "argocd", "service", "missing-app"));

        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(summary(runId)).isEqualTo("Argo CD: syncing application missing-app was refused (HTTP 403: "
                + "permission denied): check that application 'missing-app' exists (BERTH_DEPLOY_ARGOCD_APPLICATION) "
                + "and that BERTH_DEPLOY_ARGOCD_TOKEN's account may sync it");
    }

    @Test
    void asksWhichSystemWhenSeveralAreConfiguredAndTheRunNamesNone() {
        String runId = run("deploy_service", inputs("service", "checkout"));

        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(summary(runId)).contains("[github, gitlab, argocd]").contains("inputs.system");
    }

    @Test
    void sendsNoCiTokenToPort() {
        run("deploy_service", inputs("system", "gitlab", "service", "checkout"));

        assertThat(port.allRequestBodiesAndHeaders()).noneSatisfy(text -> assertThat(text)
                .containsAnyOf(CiStandIns.GITHUB_TOKEN, CiStandIns.GITLAB_TOKEN, CiStandIns.GITLAB_TRIGGER_TOKEN,
                        CiStandIns.ARGOCD_TOKEN));
    }

    // ---- scale_service ----------------------------------------------------------------------------

    void deployment(String name, int replicas) {
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("shop")
                .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name)
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage("acme/" + name + ":1").endContainer()
                .endSpec().endTemplate().endSpec().build();
        kubernetes.apps().deployments().inNamespace("shop").resource(deployment).create();
        rolledOut(name, replicas);
    }

    /** What the Deployment controller would write once {@code replicas} pods are up. */
    void rolledOut(String name, int replicas) {
        kubernetes.apps().deployments().inNamespace("shop").withName(name).editStatus(current -> {
            current.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withObservedGeneration(current.getMetadata().getGeneration()).withReplicas(replicas)
                    .withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).build());
            return current;
        });
    }

    int specReplicas(String name) {
        return kubernetes.apps().deployments().inNamespace("shop").withName(name).get().getSpec().getReplicas();
    }

    @Test
    void scalesADeploymentAndWaitsForTheRollout() {
        deployment("cart", 1);
        String runId = runId();
        KafkaBrokerResource.companion().produceStrings().fromRecords(new ProducerRecord<>(KafkaBrokerResource.RUNS_TOPIC,
                runId, v1(runId, "scale_service", "cart", JSON.createObjectNode().put("replicas", 3)).toString()))
                .awaitCompletion(WITHIN);
        await().atMost(WITHIN).until(() -> specReplicas("cart") == 3);
        assertThat(port.terminalStatus(runId)).isEmpty(); // waiting for the pods
        rolledOut("cart", 3);
        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());

        assertThat(port.terminalStatus(runId)).contains("SUCCESS");
        assertThat(summary(runId)).isEqualTo("Scaled shop/cart to 3 replicas");
        assertThat(port.logs(runId)).anySatisfy(line -> assertThat(line)
                .contains("Scaling Deployment shop/cart from 1 to 3 replicas"))
                .anySatisfy(line -> assertThat(line).startsWith("[50%]").contains("1 of 3 ready"))
                .anySatisfy(line -> assertThat(line).startsWith("[100%]").contains("3 of 3 ready"));
    }

    @Test
    void failsTheRunWhenTheRolloutOutlivesItsBound() {
        deployment("search", 1);
        String runId = run("scale_service", JSON.createObjectNode().put("service", "search").put("replicas", 4));

        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(summary(runId)).contains("Deployment shop/search did not finish rolling out within PT3S")
                .contains("1 of 4 ready").contains("kubectl describe deployment search -n shop")
                .contains("BERTH_SCALE_ROLLOUT_TIMEOUT");
        assertThat(specReplicas("search")).isEqualTo(4);
    }

    @Test
    void failsTheRunWhenTheDeploymentDoesNotExist() {
        String runId = run("scale_service", JSON.createObjectNode().put("service", "ghost").put("replicas", 2));

        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(summary(runId)).isEqualTo("Deployment 'ghost' does not exist in namespace 'shop': check "
                + "inputs.service (the Deployment's name) and inputs.namespace (one of [shop, staging])");
        assertThat(kubernetes.apps().deployments().inNamespace("shop").withName("ghost").get()).isNull();
    }

    @Test
    void refusesANamespaceOutsideTheConfiguredOnes() {
        String runId = run("scale_service", JSON.createObjectNode().put("service", "cart").put("replicas", 2)
                .put("namespace", "kube-system"));

        assertThat(port.terminalStatus(runId)).contains("FAILURE");
        assertThat(summary(runId)).isEqualTo("Namespace 'kube-system' is not one Berth may scale in: choose one of "
                + "[shop, staging] (BERTH_SCALE_NAMESPACES)");
    }
}
