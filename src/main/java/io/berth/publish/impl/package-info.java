/**
 * How a publication reaches Kafka: {@link io.berth.publish.impl.KafkaPublisherImpl} asks the
 * {@link io.berth.publish.impl.SchemaRegistryClient} (Confluent's REST API, cached, retried) for the
 * subject's latest schema, lets a {@link io.berth.publish.impl.ValueCodec} check and encode the value
 * (JSON Schema, or Avro binary from plain JSON by {@link io.berth.publish.impl.AvroFromJson}), frames
 * it as Confluent's wire format when asked, and sends it through the
 * {@link io.berth.publish.impl.ProducerPool}'s producer for the entry's options.
 */
package io.berth.publish.impl;
