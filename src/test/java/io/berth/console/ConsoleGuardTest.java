package io.berth.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.berth.config.Secret;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Who gets the console: unit tests of {@link ConsoleGuard} (here in a plain JVM: production mode). */
class ConsoleGuardTest {

    @Test
    void servesTheConsoleOnLocalhostWithoutAToken() {
        assertThat(guard("localhost", null, true).guard(request("GET", "/", null))).isNull();
    }

    @Test
    void answers404WhenTheConsoleIsDisabled() {
        assertThat(guard("localhost", null, false).guard(request("GET", "/", null)).getStatus()).isEqualTo(404);
    }

    @Test
    void neverServesTheConsoleBeyondLocalhostWithoutAConfiguredToken() {
        Response answer = guard("0.0.0.0", null, true).guard(request("GET", "/console/api/state", null));
        assertThat(answer.getStatus()).isEqualTo(403);
        assertThat(answer.getEntity().toString()).contains("BERTH_CONSOLE_TOKEN");
    }

    @Test
    void challengesForTheTokenBeyondLocalhostAndAcceptsItAsBearerOrBasicPassword() {
        ConsoleGuard guard = guard("0.0.0.0", "s3cret-token", true);
        Response challenge = guard.guard(request("GET", "/", null));
        assertThat(challenge.getStatus()).isEqualTo(401);
        assertThat(challenge.getHeaderString("WWW-Authenticate")).startsWith("Basic");
        assertThat(guard.guard(request("GET", "/", "Bearer wrong")).getStatus()).isEqualTo(401);
        assertThat(guard.guard(request("GET", "/", "Bearer s3cret-token"))).isNull();
        String basic = Base64.getEncoder().encodeToString("ops:s3cret-token".getBytes(StandardCharsets.UTF_8));
        assertThat(guard.guard(request("GET", "/console/api/state", "Basic " + basic))).isNull();
    }

    @Test
    void isReadOnlyInProductionButLetsTheTokenHolderReplay() {
        ConsoleGuard guard = guard("0.0.0.0", "s3cret-token", true);
        assertThat(guard.guard(request("POST", "/console/api/runs", "Bearer s3cret-token")).getStatus()).isEqualTo(403);
        assertThat(guard.guard(request("POST", "/console/api/dead-letters/0/4/replay", "Bearer s3cret-token"))).isNull();
        ConsoleGuard local = guard("127.0.0.1", null, true);
        assertThat(local.guard(request("POST", "/console/api/dead-letters/0/4/replay", null)).getStatus()).isEqualTo(403);
    }

    @Test
    void refusesAReplayPostedByAFormOfAnotherSiteEvenWithTheToken() {
        ConsoleGuard guard = guard("0.0.0.0", "s3cret-token", true);
        String replay = "/console/api/dead-letters/0/4/replay";
        Map<String, String> form = new HashMap<>(Map.of("host", "berth.example.com", "authorization",
                "Bearer s3cret-token", "content-type", "application/x-www-form-urlencoded"));
        Response answer = guard.guard(requestWith("POST", replay, form));
        assertThat(answer.getStatus()).isEqualTo(403);
        assertThat(answer.getEntity().toString()).contains("application/json");

        Map<String, String> otherSite = new HashMap<>(form);
        otherSite.put("content-type", "application/json");
        otherSite.put("origin", "https://attacker.example.net");
        assertThat(guard.guard(requestWith("POST", replay, otherSite)).getEntity().toString()).contains("another site");

        Map<String, String> ownPage = new HashMap<>(otherSite);
        ownPage.put("origin", "https://berth.example.com");
        assertThat(guard.guard(requestWith("POST", replay, ownPage))).isNull();
        ownPage.remove("origin");
        assertThat(guard.guard(requestWith("POST", replay, ownPage))).as("no Origin: not a browser's form").isNull();
    }

    @Test
    void answersOnlyLocalhostHostNamesWhenBoundToLocalhostAgainstDnsRebinding() {
        ConsoleGuard local = guard("127.0.0.1", null, true);
        for (String host : new String[] { "localhost", "localhost:8080", "127.0.0.1:9000", "[::1]:8080", "LOCALHOST" }) {
            assertThat(local.guard(requestWith("GET", "/console/api/dead-letters", Map.of("host", host)))).as(host).isNull();
        }
        for (String host : new String[] { "rebind.attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io",
                "10.0.0.7:8080" }) {
            Response answer = local.guard(requestWith("GET", "/console/api/dead-letters", Map.of("host", host)));
            assertThat(answer.getStatus()).as(host).isEqualTo(403);
        }
        assertThat(local.guard(requestWith("GET", "/", Map.of())).getStatus()).as("no Host").isEqualTo(403);
    }

    @Test
    void leavesOtherPathsAlone() {
        assertThat(guard("0.0.0.0", null, false).guard(request("GET", "/q/health", null))).isNull();
        assertThat(guard("0.0.0.0", null, false).guard(request("POST", "/sandbox/port/v1/auth/access_token", null))).isNull();
    }

    static ConsoleGuard guard(String host, String token, boolean enabled) {
        ConsoleSettings settings = new ConsoleSettings() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Optional<Secret> token() {
                return Optional.ofNullable(token).map(Secret::of);
            }

            @Override
            public int recentRuns() {
                return 10;
            }

            @Override
            public int recentTriggerRecords() {
                return 10;
            }

            @Override
            public int deadLetters() {
                return 10;
            }
        };
        return new ConsoleGuard(settings, host);
    }

    /** A request from the console's own page at {@code localhost:8080}. */
    static ContainerRequestContext request(String method, String path, String authorization) {
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "localhost:8080");
        if (method.equals("POST")) {
            headers.put("content-type", "application/json");
        }
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        return requestWith(method, path, headers);
    }

    static ContainerRequestContext requestWith(String method, String path, Map<String, String> headers) {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(ConsoleGuardTest.class.getClassLoader(),
                new Class<?>[] { UriInfo.class }, (proxy, called, args) -> called.getName().equals("getPath") ? path : null);
        return (ContainerRequestContext) Proxy.newProxyInstance(ConsoleGuardTest.class.getClassLoader(),
                new Class<?>[] { ContainerRequestContext.class }, (proxy, called, args) -> switch (called.getName()) {
                    case "getUriInfo" -> uri;
                    case "getMethod" -> method;
                    case "getHeaderString" -> headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                    default -> null;
                });
    }
}
