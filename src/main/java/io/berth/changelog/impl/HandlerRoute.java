package io.berth.changelog.impl;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.berth.changelog.ChangeEvent;
import io.berth.changelog.ChangeHandler;
import io.berth.changelog.ChangeSelector;
import io.berth.delivery.UnusableRecord;
import io.berth.handlers.RunResult;
import io.berth.retry.RetryDecision;
import io.berth.retry.RetryPolicy;
import io.berth.retry.RetryRules;
import io.berth.retry.Retrying;
import io.berth.runs.RunContext;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;

/**
 * A {@link ChangeHandler} bean: each attempt bounded by the handler timeout, retried as
 * {@link RetryRules#forHandlerFailure} says, under {@code BERTH_CHANGELOG_RETRY_*}.
 */
final class HandlerRoute implements ChangeRoute {

    private final ChangeHandler handler;
    private final ChangeSelector selector;
    private final String name;
    private final RetryPolicy retryPolicy;
    private final Duration timeout;

    HandlerRoute(ChangeHandler handler, RetryPolicy retryPolicy, Duration timeout) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.selector = Objects.requireNonNull(handler.selects(), () -> name(handler) + ".selects() returned null");
        this.name = "handler " + name(handler);
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    ChangeSelector selector() {
        return selector;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Uni<Void> deliver(ChangeEvent event) {
        AtomicInteger attempts = new AtomicInteger();
        return Retrying.call(() -> {
            attempts.incrementAndGet();
            return Uni.createFrom().deferred(() -> handler.handle(event))
                    .ifNoItem().after(timeout).failWith(TimeoutException::new)
                    .replaceWith(Boolean.TRUE);
        }, (item, failure) -> failure == null ? RetryDecision.DONE : RetryRules.forHandlerFailure(failure),
                retryPolicy, name + " on change event " + event.id(), "change-handler")
                .replaceWithVoid()
                .onFailure(failure -> !(failure instanceof OutOfMemoryError)).transform(failure ->
                        failure instanceof UnusableRecord unusable ? new UnusableRecord(name + ": " + unusable.reason())
                                : new UnusableRecord(name + " failed: " + reasonOf(failure) + " after " + attempts.get()
                                        + (attempts.get() == 1 ? " attempt" : " attempts")));
    }

    @Override
    public Uni<RunResult> run(ChangeEvent event, RunContext run) {
        return deliver(event).replaceWith(RunResult.success())
                .onFailure(UnusableRecord.class).recoverWithItem(failure -> RunResult.failure(failure.getMessage()));
    }

    private String reasonOf(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms (BERTH_CHANGELOG_HANDLER_TIMEOUT)";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static String name(ChangeHandler handler) {
        return ClientProxy.unwrap(handler).getClass().getSimpleName();
    }
}
