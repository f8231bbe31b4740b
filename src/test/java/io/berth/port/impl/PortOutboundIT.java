package io.berth.port.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.outbound.Outbound;
import io.berth.testing.ForwardingProxy;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandInResource;
import io.berth.testing.TlsServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.ws.rs.core.Response;

/**
 * Port calls (Berth's REST client, as built for production) trust the authority
 * {@code SSL_CERT_FILE} or {@code REQUESTS_CA_BUNDLE} names and go through {@code HTTPS_PROXY}
 * unless Port's host is in {@code NO_PROXY}. A Quarkus test only because the REST client's
 * implementation is generated at build time.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class PortOutboundIT {

    static final Path NO_CHART_CERTIFICATE = Path.of("/nonexistent/berth-test/cert.crt");

    static Vertx vertx;
    static TlsServer port;
    static ForwardingProxy proxy;

    @BeforeAll
    static void startTlsPortAndProxy() throws Exception {
        vertx = Vertx.vertx();
        port = TlsServer.start(vertx);
        proxy = ForwardingProxy.start(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        port.close();
        proxy.close();
        vertx.close();
    }

    @BeforeEach
    void forgetEarlierCalls() {
        port.forget();
        proxy.forget();
    }

    static Response accessToken(Outbound outbound) {
        PortApi api = RestPortClient.buildApi(URI.create(port.baseUrl()), Duration.ofSeconds(5), 4, outbound);
        return api.accessToken(new AccessTokenRequest("client", "secret")).await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void aPortCallSucceedsWhenSslCertFileOrRequestsCaBundleNamesTheAuthority() {
        for (String variable : new String[] {"SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"}) {
            Response response = accessToken(new Outbound(Map.of(variable, port.authority().toString()),
                    NO_CHART_CERTIFICATE));
            assertThat(response.getStatus()).as(variable).isEqualTo(200);
            assertThat(response.readEntity(String.class)).contains("tls-token");
        }
        assertThat(port.requests()).isEqualTo(2);
    }

    @Test
    void aPortCallFailsWithoutTheAuthority() {
        assertThatThrownBy(() -> accessToken(Outbound.direct())).hasCauseInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("PKIX path building failed");
        assertThat(port.requests()).isZero();
    }

    @Test
    void portCallsAreTunnelledThroughHttpsProxyUnlessPortIsInNoProxy() {
        String proxyUrl = "http://agent:secret@127.0.0.1:" + proxy.port();
        Response proxied = accessToken(new Outbound(Map.of("SSL_CERT_FILE", port.authority().toString(),
                "HTTPS_PROXY", proxyUrl), NO_CHART_CERTIFICATE));

        assertThat(proxied.getStatus()).isEqualTo(200);
        assertThat(proxy.passed()).singleElement().satisfies(passed -> {
            assertThat(passed.line()).isEqualTo("CONNECT 127.0.0.1:" + port.port());
            assertThat(passed.proxyAuthorization()).startsWith("Basic ");
        });

        proxy.forget();
        Response direct = accessToken(new Outbound(Map.of("SSL_CERT_FILE", port.authority().toString(),
                "HTTPS_PROXY", proxyUrl, "no_proxy", "127.0.0.1"), NO_CHART_CERTIFICATE));

        assertThat(direct.getStatus()).isEqualTo(200);
        assertThat(proxy.passed()).isEmpty();
        assertThat(port.requests()).isEqualTo(2);
    }
}
