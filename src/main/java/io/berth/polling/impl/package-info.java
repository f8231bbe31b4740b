/**
 * The polling streamer's implementation: {@code PollingLoop} (claim, dispatch, back off),
 * {@code ClaimedRun} (port-agent's claimed shape as a run message), {@code Backoff}, the start-up
 * announcement to Port ({@code StreamerAnnouncement}), readiness, the settings check, and
 * {@code PollingWiring}, the one place that puts them together.
 */
package io.berth.polling.impl;
