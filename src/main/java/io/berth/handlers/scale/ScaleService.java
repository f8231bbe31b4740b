package io.berth.handlers.scale;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.OfferedWhenSet;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code scale_service}: sets Deployment {@code inputs.service} (else the run's entity) in
 * {@code inputs.namespace} (else the first of {@code BERTH_SCALE_NAMESPACES}) to
 * {@code inputs.replicas}, then waits for the rollout:
 *
 * <pre>
 * check inputs ─► PATCH spec.replicas (merge patch) ─► every BERTH_SCALE_POLL_INTERVAL: GET the Deployment
 *   ─► a changed {@link Rollout}: a progress line ─► done: SUCCESS │ BERTH_SCALE_ROLLOUT_TIMEOUT: FAILURE
 * </pre>
 *
 * Blocking (fabric8's client is synchronous): Berth runs it on a worker thread, and interrupts it
 * when the run times out or Berth shuts down; the wait then ends at once. The Kubernetes client is
 * Quarkus's, taken on the first run: an unconfigured handler never builds it.
 */
@Singleton // no client proxy: one class fewer loaded while it is not offered
@OfferedWhenSet({ "berth.scale.namespaces" })
public final class ScaleService implements BlockingActionHandler {

    static final String ACTION = "scale_service";
    /** A Deployment's name: an RFC 1123 subdomain. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_NAME = 253;

    private final ScaleSettings settings;
    private final Supplier<KubernetesClient> kubernetes;

    /** @param kubernetes Quarkus's client, resolved on the first run: injecting it would build it at start-up */
    @Inject
    ScaleService(ScaleSettings settings, Instance<KubernetesClient> kubernetes) {
        this(settings, (Supplier<KubernetesClient>) kubernetes::get);
    }

    ScaleService(ScaleSettings settings, Supplier<KubernetesClient> kubernetes) {
        this.settings = settings;
        this.kubernetes = kubernetes;
    }

    @Override
    public Set<String> actions() {
        return Set.of(ACTION);
    }

    @Override
    public Optional<String> inactiveReason() {
        return settings.namespaces().isEmpty() ? Optional.of("BERTH_SCALE_NAMESPACES is not set") : Optional.empty();
    }

    @Override
    public List<String> settingsProblems() {
        return ScaleSettingsCheck.problems(settings);
    }

    /** The rollout's bound plus time for the patch and the last read. */
    @Override
    public Optional<Duration> timeout() {
        return Optional.of(settings.rolloutTimeout().plusMinutes(1));
    }

    @Override
    public RunResult handle(RunContext run) throws InterruptedException {
        Target target;
        try {
            target = target(run);
        } catch (IllegalArgumentException unusable) {
            return RunResult.failure(unusable.getMessage());
        }
        RollableScalableResource<Deployment> resource = kubernetes.get().apps().deployments()
                .inNamespace(target.namespace()).withName(target.name());
        try {
            Deployment before = resource.get();
            if (before == null) {
                return RunResult.failure("Deployment '" + target.name() + "' does not exist in namespace '"
                        + target.namespace() + "': check inputs.service (the Deployment's name) and inputs.namespace "
                        + "(one of " + namespaces() + ")");
            }
            run.progress(0, "Scaling Deployment " + target + " from " + before.getSpec().getReplicas() + " to "
                    + target.replicas() + " replicas");
            resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"replicas\":" + target.replicas() + "}}");
            return waitForRollout(resource, target, run);
        } catch (KubernetesClientException refused) {
            if (Thread.currentThread().isInterrupted() || refused.getCause() instanceof InterruptedException) {
                throw new InterruptedException("Scaling " + target + " was interrupted");
            }
            return RunResult.failure(refusal(refused, target));
        }
    }

    private RunResult waitForRollout(RollableScalableResource<Deployment> resource, Target target, RunContext run)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(settings.rolloutTimeout());
        String last = null;
        while (true) {
            Deployment now = resource.get();
            if (now == null) {
                return RunResult.failure("Deployment " + target + " was deleted during the rollout");
            }
            Rollout rollout = Rollout.of(now);
            if (!rollout.description().equals(last)) {
                last = rollout.description();
                run.progress(rollout.done() ? 100 : 50, "Deployment " + target + ": " + last);
            }
            if (rollout.done()) {
                return RunResult.success("Scaled " + target + " to " + target.replicas() + " replicas");
            }
            if (!Instant.now().isBefore(deadline)) {
                return RunResult.failure("Deployment " + target + " did not finish rolling out within "
                        + settings.rolloutTimeout() + " (" + last + "): kubectl describe deployment " + target.name()
                        + " -n " + target.namespace() + " shows why (pending pods, quota, image pulls); raise "
                        + "BERTH_SCALE_ROLLOUT_TIMEOUT if rollouts take longer");
            }
            Thread.sleep(settings.pollInterval().toMillis()); // interrupted at shutdown or the run's timeout
        }
    }

    private Target target(RunContext run) {
        String name = text(run.inputs().path("service"))
                .or(() -> run.entity().flatMap(entity -> text(entity.path("identifier"))))
                .orElseThrow(() -> new IllegalArgumentException("No Deployment to scale: give inputs.service, or run "
                        + "the action on a service entity"));
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a Deployment name (lower-case letters, digits, "
                    + "'-' and '.'): give the Deployment's name in inputs.service");
        }
        List<String> allowed = namespaces();
        String namespace = text(run.inputs().path("namespace")).orElse(allowed.get(0));
        if (!allowed.contains(namespace)) {
            throw new IllegalArgumentException("Namespace '" + namespace + "' is not one Berth may scale in: choose one of "
                    + allowed + " (BERTH_SCALE_NAMESPACES)");
        }
        JsonNode replicas = run.inputs().path("replicas");
        if (!replicas.canConvertToExactIntegral() && !(replicas.isTextual() && replicas.asText().matches("\\d{1,9}"))) {
            throw new IllegalArgumentException("inputs.replicas must be a whole number from 0 to "
                    + settings.maxReplicas() + ", was " + (replicas.isMissingNode() ? "missing" : replicas.toString()));
        }
        int count = replicas.isTextual() ? Integer.parseInt(replicas.asText()) : replicas.asInt();
        if (count < 0 || count > settings.maxReplicas()) {
            throw new IllegalArgumentException("inputs.replicas must be from 0 to " + settings.maxReplicas()
                    + " (BERTH_SCALE_MAX_REPLICAS), was " + count);
        }
        return new Target(namespace, name, count);
    }

    private List<String> namespaces() {
        return settings.namespaces().orElseThrow().stream().map(String::strip).toList();
    }

    private static String refusal(KubernetesClientException refused, Target target) {
        return switch (refused.getCode()) {
            case 401 -> "The Kubernetes API does not accept Berth's credentials (401): check its service account token "
                    + "or kubeconfig";
            case 403 -> "Berth may not scale Deployment " + target + " (403): grant its service account get and patch "
                    + "on deployments in namespace " + target.namespace();
            case 404 -> "Deployment '" + target.name() + "' does not exist in namespace '" + target.namespace() + "'";
            default -> "The Kubernetes API refused to scale " + target + " (" + (refused.getCode() == 0 ? "no answer"
                    : "HTTP " + refused.getCode()) + "): " + firstLine(refused.getMessage());
        };
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static Optional<String> text(JsonNode node) {
        return node.isValueNode() && !node.asText().isBlank() ? Optional.of(node.asText().strip()) : Optional.empty();
    }

    /** What one run scales. */
    private record Target(String namespace, String name, int replicas) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }
}
