/**
 * Port's API as Berth uses it ({@link io.berth.port.PortClient}): run reports, logs, entities and
 * status reads, with the failures that say whether retrying can help.
 */
package io.berth.port;
