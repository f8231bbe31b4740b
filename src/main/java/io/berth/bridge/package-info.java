/**
 * The Kafka ↔ HTTP bridge, a drop-in for Platformatic's kafka-hooks: Berth reads a kafka-hooks
 * file ({@code BERTH_BRIDGE_PATH}, a whole {@code platformatic.json} or its {@code kafka} section)
 * unchanged, with Berth's own keys beside kafka-hooks' ({@link io.berth.bridge.BridgeConfiguration},
 * {@link io.berth.bridge.Subscription}, {@link io.berth.bridge.OutboundAuth}).
 *
 * <p>Topic → webhook delivery is the delivery core's ({@code io.berth.delivery}): each subscription
 * is a {@link io.berth.delivery.PolledConsumer} feeding a {@link io.berth.delivery.RecordDispatcher}
 * with the bridge's {@link io.berth.delivery.RecordHandler}; dead letters keep kafka-hooks' JSON
 * value; what to retry is {@code io.berth.retry.RetryRules#forBridge}. Nothing is committed before
 * its record reached the webhook or the dead-letter topic, so a crash loses nothing.
 *
 * <p>The bridge can run alone: with a bridge file and no {@code PORT_ORG_ID} Berth consumes no runs
 * and needs no Port setting (see {@link io.berth.config.RunsConsumption}). Implementations are in
 * {@code impl}; {@code impl.BridgeWiring} is the one place that builds them.
 */
package io.berth.bridge;
