/**
 * Dev mode only ({@code ./mvnw quarkus:dev}): an in-process KRaft broker so that Berth runs with no
 * Kafka, no Docker and no Port account. Its broker dependency is {@code provided}: it is not packaged.
 */
package io.berth.dev;
