/**
 * The delivery core's implementations: the dispatcher with its non-blocking permits, dead letters
 * on a Kafka topic, and offset commits as an outcome listener.
 */
package io.berth.delivery.impl;
