package io.berth.port;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Waits out Port outages. Each call already retries within its own budget
 * ({@code BERTH_PORT_RETRY_*}); when that budget runs out while Port is still unreachable, the
 * report is not dropped: it is tried again after a pause, round after round, until Port answers or
 * Berth stops. The run keeps its permit meanwhile, so a long outage stops consumption instead of
 * losing reports.
 *
 * <pre>
 *  call ─► [retries within budget] ─► answered ──────────────► Optional.of(answer)
 *                                  └► still unreachable ─► pause ─► call again (unless stopping)
 *                                  └► stopping ──────────────────► Optional.empty()
 *                                  └► refused for good (4xx) ────► failure (retrying cannot help)
 * </pre>
 */
public final class PortPatience {

    private static final Logger LOG = Logger.getLogger(PortPatience.class);

    private final Duration pause;
    private final BooleanSupplier stopping;

    public PortPatience(Duration pause, BooleanSupplier stopping) {
        this.pause = pause;
        this.stopping = stopping;
    }

    /** {@code call} must answer an item (not null): empty means Berth stopped before Port answered. */
    public <T> Uni<Optional<T>> untilAnswered(Supplier<Uni<T>> call, String what) {
        return Uni.createFrom().<T>deferred(call::get)
                .map(Optional::of)
                .onFailure(this::worthWaitingFor)
                .call(failure -> {
                    LOG.warnf("%s: %s; trying again in %d s", what, failure.getMessage(), pause.toSeconds());
                    return Uni.createFrom().voidItem().onItem().delayIt().by(pause);
                })
                .onFailure(this::worthWaitingFor).retry().indefinitely()
                .onFailure(PortPatience::isOutage).recoverWithItem(Optional.empty());
    }

    private boolean worthWaitingFor(Throwable failure) {
        return isOutage(failure) && !stopping.getAsBoolean();
    }

    private static boolean isOutage(Throwable failure) {
        return failure instanceof PortCallException call && call.isTransient();
    }
}
