package io.berth.examples;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * EXAMPLE handler, present in dev mode only: a blocking handler (JDBC, a CLI, a synchronous SDK
 * would be here) that reports progress for about three seconds ({@link RunContext#progress}: a log
 * line and status label in Port, and a lifecycle event when those are on), sets a link, and fails
 * when asked to ({@code inputs.fail = true}) so the console shows both endings.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public final class SlowDeploy implements BlockingActionHandler {

    private static final List<String> STEPS = List.of("Building image", "Pushing image", "Rolling out",
            "Waiting for health checks");
    private static final Duration STEP = Duration.ofMillis(750);

    @Override
    public Set<String> actions() {
        return Set.of("slow_deploy");
    }

    @Override
    public RunResult handle(RunContext run) throws InterruptedException {
        String service = run.inputs().path("service").asText("checkout");
        String version = run.inputs().path("version").asText("1.0.0");
        run.link(List.of("https://ci.example.com/deploys/" + run.runId()));
        for (int i = 0; i < STEPS.size(); i++) {
            Instant done = Instant.now().plus(STEP.multipliedBy(STEPS.size() - i));
            run.progress(100 * i / STEPS.size(), STEPS.get(i) + " for " + service + " " + version, done);
            Thread.sleep(STEP.toMillis());
        }
        run.progress(100, "Deployed " + service + " " + version);
        if (run.inputs().path("fail").asBoolean(false)) {
            throw new IllegalStateException("Health checks failed for " + service + " " + version);
        }
        return RunResult.success("Deployed " + service + " " + version);
    }
}
