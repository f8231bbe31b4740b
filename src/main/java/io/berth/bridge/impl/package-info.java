/**
 * The bridge's implementations: the file reader ({@code BridgeFile} and its readers), the
 * subscription's record handler and webhook requests, the batching stage in front of it
 * ({@code Batcher}, {@code BatchBody}), outbound authentication, kafka-hooks' dead-letter format,
 * and {@code BridgeWiring}, which builds one consumer per subscription.
 */
package io.berth.bridge.impl;
