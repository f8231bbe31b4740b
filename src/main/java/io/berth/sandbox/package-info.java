/**
 * Dev mode's stand-in for Port at {@code /sandbox/port}, held to the same request rules as Port's
 * API, and an echo webhook for the sample mapping file.
 */
package io.berth.sandbox;
