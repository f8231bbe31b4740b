package io.berth.handlers.deploy;

import io.smallrye.mutiny.Uni;

/**
 * One CI/CD system's deployment API: start a deployment, read where it is. Implementations make one
 * HTTP call per method (GitHub's fallback lookup aside) and fail with {@link DeployFailure}, whose
 * message a user can act on and which never carries a token.
 */
interface Pipeline {

    /** What a user calls the system, in log lines and summaries ({@code GitHub Actions}). */
    String system();

    /** Starts the deployment; not retried (a second call would deploy twice). */
    Uni<Started> start(Deployment deployment);

    /** The deployment's state now; a {@link DeployFailure.Transient} failure may be retried. */
    Uni<PipelineState> state(Started started);

    /** What the run asks to deploy. {@code version} and {@code environment} may be null. */
    record Deployment(String service, String version, String environment, String runId) {
    }

    /** A started deployment: its id in the system and the page a user opens to follow it. */
    record Started(String id, String url) {
    }

    /** Where a deployment is; {@code description} is the system's own words ("in_progress"). */
    record PipelineState(Phase phase, String description) {

        boolean finished() {
            return phase != Phase.RUNNING;
        }
    }

    enum Phase {
        RUNNING, SUCCEEDED, FAILED
    }
}
