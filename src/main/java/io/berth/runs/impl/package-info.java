/**
 * The runs capability: the channel of the runs topic, the parser of Port's run messages, routing to
 * a Java handler or a mapping entry, the memory of recent runs and the check against Port for
 * redelivered ones, ordered reports, and the wiring that gives all of it to the delivery core.
 */
package io.berth.runs.impl;
