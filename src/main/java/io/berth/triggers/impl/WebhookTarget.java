package io.berth.triggers.impl;

import io.berth.delivery.UnusableRecord;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerEnvelope;
import io.berth.webhook.DirectWebhook;
import io.smallrye.mutiny.Uni;

/**
 * An HTTP call with the envelope as body and {@code Idempotency-Key: {topic}-{partition}-{offset}};
 * retried as the mapping file's webhooks are. Only a 2xx answer counts as fired.
 */
record WebhookTarget(DirectWebhook webhook, TriggerDefinition.Target.Webhook spec) implements TriggerTarget {

    @Override
    public String describe() {
        return spec.describe();
    }

    @Override
    public Uni<String> fire(TriggerEnvelope envelope) {
        return webhook.send(spec.method(), spec.url(), spec.headers(), envelope.toJson(), envelope.id())
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new UnusableRecord(describe() + " answered " + response.statusCode() + " after "
                                + response.attempts() + (response.attempts() == 1 ? " attempt" : " attempts"));
                    }
                    return "status " + response.statusCode();
                });
    }
}
