/**
 * port-agent's mapping file and webhook invoker: jq over the run, requests signed and sent with
 * classified retries, reports mapped back to Port, inputs decrypted, Port's signature verified.
 */
package io.berth.webhook;
