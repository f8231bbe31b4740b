/**
 * Topic triggers (Operion's Kafka trigger, at least once): each trigger of the file
 * {@code BERTH_TRIGGERS_PATH} consumes one topic and fires its target (a {@link
 * io.berth.triggers.TriggerHandler} bean, a webhook, or a Port action run) with each record in a
 * {@link io.berth.triggers.TriggerEnvelope}.
 *
 * <p>Delivery is the delivery core's ({@code io.berth.delivery}): triggers supply a
 * {@link io.berth.delivery.RecordHandler} and a consumer; permits, dead letters, outcomes and retry
 * classification are not repeated here. Implementations are in {@code impl}.
 *
 * <p>Triggers can run alone: with a triggers file and no {@code PORT_ORG_ID} Berth consumes no runs
 * (see {@link io.berth.config.RunsConsumption}) and needs Port's credentials only for Port action
 * targets. {@link io.berth.triggers.RunningTriggers} and {@link io.berth.triggers.TriggerRecordListener}
 * let readiness and the console see them.
 */
package io.berth.triggers;
