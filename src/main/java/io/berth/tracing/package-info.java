/**
 * Traces and the log context of a record: the delivery core opens a span per consumed record
 * ({@link io.berth.tracing.Tracing#record}), continuing the producer's W3C {@code traceparent}; the
 * handler, each Port call, each webhook request and each Kafka publish are its children, found through
 * the record's OpenTelemetry {@link io.opentelemetry.context.Context}, which also carries the
 * {@link io.berth.tracing.Tracing} that made it. {@link io.berth.tracing.RecordMdc} puts the record's
 * coordinates and run in the log's MDC (JSON logs show them). Spans carry no header, token or body.
 */
package io.berth.tracing;
