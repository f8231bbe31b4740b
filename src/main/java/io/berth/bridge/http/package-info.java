/**
 * The bridge's HTTP side, kafka-hooks' endpoints: {@code POST /topics/{topic}} publishes to Kafka
 * (kafka-hooks' form and Strimzi Kafka Bridge's batch form), and each {@code requestResponse} route
 * publishes a request and answers with its reply, read by every instance from all reply partitions
 * (no shared group), so several replicas each get their own callers' replies. Callers authenticate
 * with an API key or an OIDC bearer token unless the file opens the endpoints
 * ({@code "httpOpen": true}). {@code BridgeHttpWiring} is the one place that builds it.
 */
package io.berth.bridge.http;
