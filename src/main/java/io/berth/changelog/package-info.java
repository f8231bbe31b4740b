/**
 * Change-log automations: the records of Port's change log ({@code KAFKA_CHANGE_LOG_TOPIC}, default
 * {@code {PORT_ORG_ID}.change.log}) that Port addressed to an agent ({@code changelogDestination.agent}
 * true), each a {@link io.berth.changelog.ChangeEvent}, delivered to the {@link
 * io.berth.changelog.ChangeHandler} beans that select it or, when none does, to the first entry of
 * port-agent's mapping file enabled for it.
 *
 * <p>Delivery is the delivery core's ({@code io.berth.delivery}): the change log supplies a
 * {@link io.berth.delivery.RecordHandler}, a channel and a dead-letter topic
 * ({@code {PORT_ORG_ID}.change.log.dlq}); permits, dead letters, outcomes, commits and retry
 * classification ({@code io.berth.retry}) are not repeated here. Implementations are in
 * {@code impl}.
 */
package io.berth.changelog;
