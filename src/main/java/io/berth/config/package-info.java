/**
 * Berth's settings: typed {@code @ConfigMapping}s read from port-agent's environment variables
 * first ({@code PORT_*}, {@code KAFKA_*}, {@code WEBHOOK_*}) and Berth's own ({@code BERTH_*}), the
 * Kafka client properties every channel shares, and the start-up check that refuses a bad setting
 * or file with a message naming the variable, entry and field, and the fix.
 */
package io.berth.config;
