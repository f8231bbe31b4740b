package io.berth.triggers.impl;

import io.berth.retry.RetryDecision;
import io.berth.retry.RetryPolicy;
import io.berth.retry.RetryRules;
import io.berth.retry.Retrying;
import io.berth.triggers.TriggerEnvelope;
import io.berth.triggers.TriggerHandler;
import io.smallrye.mutiny.Uni;

/** A {@link TriggerHandler} bean, retried as {@link RetryRules#forHandlerFailure} says. */
record HandlerTarget(TriggerHandler handler, RetryPolicy retryPolicy) implements TriggerTarget {

    @Override
    public String describe() {
        return "handler " + handler.name();
    }

    @Override
    public Uni<String> fire(TriggerEnvelope envelope) {
        return Retrying.call(() -> Uni.createFrom().deferred(() -> handler.handle(envelope)).replaceWith("handled"),
                (item, failure) -> failure == null ? RetryDecision.DONE : RetryRules.forHandlerFailure(failure),
                retryPolicy, describe() + " on " + envelope.id(), "trigger");
    }
}
