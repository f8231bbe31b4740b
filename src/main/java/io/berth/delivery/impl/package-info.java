/**
 * The delivery core's implementations: the dispatcher with its non-blocking permits, dead letters
 * on a Kafka topic, offset commits as an outcome listener, and the polled consumer with its offset
 * tracker.
 */
package io.berth.delivery.impl;
