/**
 * Records pushed over HTTP as CloudEvents ({@code POST /cloudevents}), so that Berth can be scaled to
 * zero by Knative Serving: a Kafka consumer cannot wake itself, a Knative {@code KafkaSource} pushing
 * the runs (and the change log, and the triggers' topics) can.
 *
 * <p>A pushed event is turned back into the Kafka record it was (topic from the end of
 * {@code ce-source}, partition and offset from {@code ce-id}, key, headers, value) and handed, as an
 * {@link io.berth.delivery.InboundRecord}, to the dispatcher of its topic: the runs' own (the same
 * handlers, de-duplication by run id and reports as a consumed run), the change log's, or that of the
 * trigger reading the topic ({@link io.berth.triggers.PushedTriggers}: its target, retries and
 * dead-letter topic, as a consumed trigger record). The answer
 * waits for the record's outcome, so that KafkaSource retries whatever Berth could not finish.
 * {@link io.berth.cloudevents.CloudEventsSettings} holds {@code BERTH_CLOUDEVENTS_*}.
 */
package io.berth.cloudevents;
