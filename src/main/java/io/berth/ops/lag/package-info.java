/**
 * Consumer lag, after {@code @platformatic/watt-plugin-kafka-health}: measured on a schedule for
 * every group Berth consumes in, reported in the {@code lag} health group and as a gauge, with the
 * plugin's options ({@code BERTH_LAG_*}) and its rule (a signal only where more consumers would help).
 */
package io.berth.ops.lag;
