/**
 * How Berth reaches other hosts over HTTP, Port's API and webhooks: the proxies and the extra
 * certificate authorities a port-agent deployment declares in its environment
 * ({@code HTTPS_PROXY}, {@code NO_PROXY}, {@code SSL_CERT_FILE}, the chart's mounted certificate),
 * read as Python's requests reads them. Kafka connections use neither, as in port-agent.
 */
package io.berth.outbound;
