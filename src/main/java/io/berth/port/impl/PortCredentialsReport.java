package io.berth.port.impl;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import io.berth.command.CapabilityReport;
import io.berth.command.Check;
import io.berth.config.BerthSettings;
import io.berth.config.PortSettings;
import io.berth.config.Secret;
import io.berth.outbound.Outbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * Port's credentials for {@code validate}: one token call ({@code POST /v1/auth/access_token}), as
 * the service makes it (proxies, extra certificate authorities, {@code BERTH_PORT_TIMEOUT}) but
 * without retries, so that the answer is Port's. Neither the secret nor the token is ever printed.
 */
@ApplicationScoped
final class PortCredentialsReport implements CapabilityReport {

    private final PortSettings port;
    private final BerthSettings berth;
    private final Outbound outbound;

    @Inject
    PortCredentialsReport(PortSettings port, BerthSettings berth, Outbound outbound) {
        this.port = port;
        this.berth = berth;
        this.outbound = outbound;
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public List<Check> checks() {
        Optional<String> clientId = port.clientId().filter(id -> !id.isBlank());
        Optional<Secret> secret = port.clientSecret().filter(s -> !s.isBlank());
        if (clientId.isEmpty() || secret.isEmpty()) {
            return List.of(); // needed or not, the settings' check says so
        }
        URI base = port.apiBaseUrl();
        try {
            PortApi api = RestPortClient.buildApi(base, berth.port().timeout(), 1, outbound);
            try (Response response = api.accessToken(new AccessTokenRequest(clientId.get(), secret.get().reveal()))
                    .await().atMost(berth.port().timeout().plusSeconds(1))) {
                int status = response.getStatus();
                if (status == 401 || status == 403) {
                    return List.of(Check.fail("port", base + " refused PORT_CLIENT_ID '" + clientId.get()
                            + "' and PORT_CLIENT_SECRET (" + status + "): copy both from Port (Settings > Credentials)"
                            + " and check PORT_API_BASE_URL names your region (EU https://api.port.io, US "
                            + "https://api.us.port.io)"));
                }
                if (status / 100 != 2) {
                    return List.of(Check.fail("port", base + " answered " + status + " to the token call: check "
                            + "PORT_API_BASE_URL"));
                }
                return List.of(Check.ok("port", "credentials of PORT_CLIENT_ID '" + clientId.get() + "' accepted by "
                        + base));
            }
        } catch (RuntimeException e) {
            return List.of(Check.fail("port", base + " not reachable within " + berth.port().timeout().toSeconds()
                    + " s (" + rootCause(e).getClass().getSimpleName() + "): check PORT_API_BASE_URL and the proxy "
                    + "settings"));
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
