/**
 * The polling streamer ({@code STREAMER_NAME=POLLING}, port-agent 0.8.4+): runs claimed from Port's
 * API instead of consumed from Kafka, so Berth runs where no Kafka can be reached.
 *
 * <p>A {@link io.berth.polling.RunPoller} claims runs ({@code POST /v1/actions/runs/claim-pending}),
 * hands each to the runs' own delivery core as an {@link io.berth.delivery.InboundRecord} (the same
 * dispatcher, handlers, de-duplication and reports as Kafka runs), and acknowledges it
 * ({@code PATCH /v1/actions/runs/ack}) once its outcome is recorded. A claimed run is invisible to
 * other replicas until Port's visibility timeout, which is how many replicas share the work.
 * {@link io.berth.polling.PollingSettings} holds port-agent's {@code POLLING_*} variables.
 */
package io.berth.polling;
