/**
 * The change log's implementations: its channel and wiring on the delivery core, the parser, the
 * routes (Java handlers, mapping-file webhooks) and the reports of events that carry a run.
 */
package io.berth.changelog.impl;
