/**
 * The CloudEvents endpoint's parts: reading an event back into a record ({@code PushedEvent}),
 * waiting for its outcome ({@code PushedOutcomes}), the answer it earns ({@code PushAnswer}), and the
 * one place that puts them on a route ({@code CloudEventsWiring}).
 */
package io.berth.cloudevents.impl;
