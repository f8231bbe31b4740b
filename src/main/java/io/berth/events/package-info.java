/**
 * Lifecycle events: with {@code BERTH_EVENTS_ENABLED=true}, every run Berth handles is told to
 * Kafka as it happens, in the schemas of the FRANC portal's event stream, so that downstream
 * systems follow runs without asking Port.
 *
 * <pre>
 *  picked up ─► {prefix}.task.status      status=started
 *  progress  ─► {prefix}.task.status      status=in_progress (progress_percentage, status_message)
 *  failure   ─► {prefix}.task.status      status=failed      (error_details)
 *  end       ─► {prefix}.task.completion  completion_status=completed|failed   (exactly one per run)
 *  publish   ─► {prefix}.{name}           the handler's own domain event, same envelope
 * </pre>
 *
 * <p>Every event of a run is keyed by its run id, so a run's events share a partition and keep
 * their order. Publishing never blocks or fails a run: events go to a bounded queue drained by one
 * worker into an idempotent producer ({@code acks=all}) that retries through a broker outage for
 * {@code BERTH_EVENTS_DELIVERY_TIMEOUT}; what cannot be delivered is logged (WARN) and counted
 * ({@code berth_events_total{outcome="failed"}}).
 *
 * <p>Contracts are here ({@link io.berth.events.EventSettings}, {@link io.berth.events.EventPublisher});
 * the Kafka producer, the envelope and the run observer are in {@code impl}. The runs pipeline
 * knows none of it: it tells {@link io.berth.runs.RunObserver}s and
 * {@link io.berth.delivery.RecordOutcomeListener}s, and {@code impl.RunEventStream} is both.
 */
package io.berth.events;
