package io.berth.handlers;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;

/**
 * Runs the Port actions it declares. Implementations are CDI beans (usually
 * {@code @ApplicationScoped}); Berth discovers them at start-up and refuses to start when two
 * handlers claim the same action identifier.
 *
 * <p>The returned {@link Uni} must not block: it is subscribed on the Kafka consumer's event loop.
 * Code that blocks (JDBC, a CLI, a synchronous SDK) implements {@link BlockingActionHandler} instead.
 * A failed {@code Uni} is reported to Port as a FAILURE whose summary is the exception's message.
 */
public interface ActionHandler {

    /**
     * How long one run may take before it fails (and, for a blocking handler, is interrupted);
     * empty: {@code BERTH_RUNS_HANDLER_TIMEOUT}.
     */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /**
     * Why this handler is not offered, or empty when it is. A handler whose configuration is absent
     * answers with the setting a user must give (e.g. {@code "BERTH_DATABASE_ADMIN_URL is not set"});
     * Berth then routes none of its actions to it, and {@code list} prints the reason. Answer from
     * configuration alone: this is called once at start-up and must not connect anywhere. A handler
     * marked {@link OfferedWhenSet} is not even made while none of its properties is set, which
     * spares its bean and what it loads.
     */
    default Optional<String> inactiveReason() {
        return Optional.empty();
    }

    /**
     * What keeps this handler's settings from working, each problem naming the variable and the fix;
     * empty when none. Asked once at start-up of every handler Berth makes, offered or not: a problem
     * stops start-up ({@code validate} lists it). Answer from configuration and files alone.
     */
    default List<String> settingsProblems() {
        return List.of();
    }

    /** The action identifiers this handler serves, e.g. {@code deploy_service}. */
    Set<String> actions();

    /** Runs one action run. Called at most once per run id per Berth process. */
    Uni<RunResult> handle(RunContext run);
}
