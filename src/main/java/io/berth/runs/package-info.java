/**
 * Port action runs and workflow node runs from {@code {PORT_ORG_ID}.runs}: what a run is
 * ({@link io.berth.runs.PortRun}), what a handler sees of it and reports through
 * ({@link io.berth.runs.RunContext}), where those reports go in Port ({@link io.berth.runs.RunReports}:
 * an action run's endpoints, or a workflow node run's), and how a run record can end
 * ({@link io.berth.runs.RunOutcome}). The runs are one capability of the delivery core
 * ({@code io.berth.delivery}).
 */
package io.berth.runs;
