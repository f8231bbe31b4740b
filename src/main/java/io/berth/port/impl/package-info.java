/**
 * The declarative REST client for Port, its shared access-token cache (one token per set of
 * credentials, refreshed before it expires and once on 401) and retries under
 * {@code io.berth.retry.RetryRules}.
 */
package io.berth.port.impl;
