/**
 * Kafka publish actions: a mapping-file entry whose {@code kafka} object, in place of {@code url},
 * publishes the run's value to a topic (seed 002's {@code kafka.producer.sendMessage}, done for real).
 *
 * <p>The contracts live here: what an entry declares ({@link io.berth.publish.ProducerOptions},
 * {@link io.berth.publish.SchemaRegistryOptions}, validated at start-up), what one run publishes
 * ({@link io.berth.publish.Publication}) and the {@link io.berth.publish.KafkaPublisher} that sends
 * it, ending in {@link io.berth.publish.Published} (the broker acknowledged) or a
 * {@link io.berth.publish.PublishFailedException} that says why (validation errors, the registry
 * down after its retries, the broker's refusal). {@code impl} holds the producers (one per distinct
 * option set, on Berth's Kafka connection), the Confluent-API registry client with its cache, JSON
 * Schema validation, Avro encoding from plain JSON and Confluent's wire format.
 */
package io.berth.publish;
