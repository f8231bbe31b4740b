package io.berth.triggers.impl;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.delivery.UnusableRecord;
import io.berth.port.PortClient;
import io.berth.triggers.TriggerEnvelope;
import io.berth.webhook.JqTemplate;
import io.smallrye.mutiny.Uni;

/**
 * Starts a Port self-service action run ({@code POST /v1/actions/{action}/runs}) whose inputs are
 * jq over the envelope. Port's own retry rules apply; a 404 (unknown action) or 422 (inputs that
 * do not fit) is final.
 *
 * @param entity jq giving the entity identifier of a day-2 action, or null
 */
record PortActionTarget(PortClient port, String action, JqTemplate entity, JqTemplate properties)
        implements TriggerTarget {

    @Override
    public String describe() {
        return "Port action " + action;
    }

    @Override
    public Uni<String> fire(TriggerEnvelope envelope) {
        JsonNode input = envelope.toJson();
        JsonNode inputs = properties.evaluate(input);
        if (!inputs.isObject()) {
            return Uni.createFrom().failure(new UnusableRecord(describe() + ": properties gave "
                    + inputs.getNodeType().name().toLowerCase() + ", not an object"));
        }
        String identifier = null;
        if (entity != null) {
            JsonNode value = entity.evaluate(input);
            if (!value.isNull()) {
                identifier = value.isTextual() ? value.textValue() : value.toString();
            }
        }
        return port.startActionRun(action, identifier, inputs).map(runId -> "run " + runId);
    }
}
