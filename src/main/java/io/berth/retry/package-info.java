/**
 * Which failures are retried and how long: one classification ({@link io.berth.retry.RetryRules}) and
 * a typed policy ({@code initial-delay}, {@code multiplier}, {@code randomization-factor},
 * {@code max-delay}, {@code max-attempts}, {@code max-duration}), used by Port calls, webhooks and
 * every capability of the delivery core.
 */
package io.berth.retry;
