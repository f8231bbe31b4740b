/**
 * The one-off commands of the production jar: {@code validate} (every setting and file, Kafka and
 * each topic Berth would use, Port's credentials, the schema registry: one line per check, a non-zero
 * exit when one fails) and {@code list} (what Berth would serve and what handles each). Each
 * capability says what it is configured to do through a {@link io.berth.command.CapabilityReport}
 * bean; this package runs them, checks the brokers and topics, and prints. {@code BerthMain}, the
 * jar's entry point, runs the service when given no argument.
 */
package io.berth.command;
