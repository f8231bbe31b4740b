/**
 * Operations: health checks and metrics, fed by record outcomes as listeners of the delivery core.
 */
package io.berth.ops;
