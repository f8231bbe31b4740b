package io.berth.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.outbound.Outbound;
import io.berth.testing.ForwardingProxy;
import io.berth.testing.TlsServer;

/**
 * Webhook calls trust the certificate authority port-agent's deployment names
 * ({@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE}, the chart's mounted certificate) and take the
 * proxy requests would take ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, not for hosts in
 * {@code NO_PROXY}).
 */
class WebhookOutboundTest extends ReceiverFixture {

    static final Path NO_CHART_CERTIFICATE = Path.of("/nonexistent/berth-test/cert.crt");

    static TlsServer tls;
    static ForwardingProxy proxy;

    @BeforeAll
    static void startTlsServerAndProxy() throws Exception {
        tls = TlsServer.start(vertx.getDelegate());
        proxy = ForwardingProxy.start(vertx.getDelegate());
    }

    @AfterAll
    static void stopTlsServerAndProxy() throws Exception {
        tls.close();
        proxy.close();
    }

    @BeforeEach
    void forgetEarlierCalls() {
        tls.forget();
        proxy.forget();
        server.stubFor(any(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("{\"plain\":true}")));
    }

    static WebhookResponse call(Outbound outbound, String url) {
        WebhookLimits limits = WebhookLimits.withTimeout(Duration.ofSeconds(5));
        WebhookSender sender = new WebhookSender(WebhookSender.httpClient(vertx, true, 8, limits.timeout(), outbound),
                outbound.proxies(), limits, WebhookSenderTest.quickRetries(1), Optional.empty());
        return sender.send(new WebhookRequest("POST", url, JsonNodeFactory.instance.objectNode().put("n", 1),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode()), "r_out")
                .await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void anHttpsWebhookSucceedsWhenSslCertFileNamesItsAuthority() {
        Outbound outbound = new Outbound(Map.of("SSL_CERT_FILE", tls.authority().toString()), NO_CHART_CERTIFICATE);

        assertThat(call(outbound, tls.baseUrl() + "/hook").statusCode()).isEqualTo(200);
        assertThat(tls.requests()).isEqualTo(1);
    }

    @Test
    void anHttpsWebhookSucceedsWhenRequestsCaBundleNamesItsAuthority() {
        Outbound outbound = new Outbound(Map.of("REQUESTS_CA_BUNDLE", tls.authority().toString()), NO_CHART_CERTIFICATE);

        assertThat(call(outbound, tls.baseUrl() + "/hook").statusCode()).isEqualTo(200);
    }

    @Test
    void theCertificatePortAgentsChartMountsIsTrustedWhenItExists() {
        Outbound outbound = new Outbound(Map.of(), tls.authority());

        assertThat(call(outbound, tls.baseUrl() + "/hook").statusCode()).isEqualTo(200);
    }

    @Test
    void anHttpsWebhookFailsWithoutItsAuthority() {
        assertThatThrownBy(() -> call(Outbound.direct(), tls.baseUrl() + "/hook"))
                .isInstanceOf(WebhookUnreachableException.class).hasMessageContaining("TLS handshake failed");
        assertThat(tls.requests()).isZero();
    }

    @Test
    void anHttpsWebhookIsTunnelledThroughHttpsProxyWithItsCredentials() {
        Outbound outbound = new Outbound(Map.of("SSL_CERT_FILE", tls.authority().toString(),
                "HTTPS_PROXY", "http://agent:p%40ss@127.0.0.1:" + proxy.port()), NO_CHART_CERTIFICATE);

        assertThat(call(outbound, tls.baseUrl() + "/hook").statusCode()).isEqualTo(200);

        assertThat(proxy.passed()).singleElement().satisfies(passed -> {
            assertThat(passed.line()).isEqualTo("CONNECT 127.0.0.1:" + tls.port());
            assertThat(passed.proxyAuthorization()).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("agent:p@ss".getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Test
    void anHttpWebhookIsForwardedByHttpProxyAndNotByHttpsProxy() {
        String url = "http://127.0.0.1:" + server.port() + "/hook";
        Outbound onlyHttps = new Outbound(Map.of("HTTPS_PROXY", "127.0.0.1:" + proxy.port()), NO_CHART_CERTIFICATE);
        assertThat(call(onlyHttps, url).statusCode()).isEqualTo(200);
        assertThat(proxy.passed()).isEmpty();

        Outbound http = new Outbound(Map.of("http_proxy", "http://127.0.0.1:" + proxy.port()), NO_CHART_CERTIFICATE);
        WebhookResponse response = call(http, url);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("{\"plain\":true}");
        assertThat(proxy.passed()).extracting(ForwardingProxy.Passed::line).containsExactly("POST " + url);
    }

    @Test
    void hostsInNoProxyAreCalledDirectly() {
        Outbound outbound = new Outbound(Map.of("SSL_CERT_FILE", tls.authority().toString(),
                "HTTPS_PROXY", "http://127.0.0.1:" + proxy.port(), "HTTP_PROXY", "http://127.0.0.1:" + proxy.port(),
                "NO_PROXY", "localhost,127.0.0.1"), NO_CHART_CERTIFICATE);

        assertThat(call(outbound, tls.baseUrl() + "/hook").statusCode()).isEqualTo(200);
        assertThat(call(outbound, "http://127.0.0.1:" + server.port() + "/hook").statusCode()).isEqualTo(200);

        assertThat(proxy.passed()).isEmpty();
        assertThat(tls.requests()).isEqualTo(1);
    }

    @Test
    void eachRedirectHopTakesTheProxyOfItsOwnUrl() {
        server.stubFor(any(urlPathEqualTo("/start")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://localhost:" + server.port() + "/hook")));
        Outbound outbound = new Outbound(Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port(),
                "NO_PROXY", "localhost"), NO_CHART_CERTIFICATE);

        WebhookResponse response = call(outbound, "http://127.0.0.1:" + server.port() + "/start");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.redirects()).isEqualTo(1);
        assertThat(proxy.passed()).extracting(ForwardingProxy.Passed::line)
                .containsExactly("POST http://127.0.0.1:" + server.port() + "/start");
    }
}
