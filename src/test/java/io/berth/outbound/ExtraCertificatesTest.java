package io.berth.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.testing.TlsServer;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;

/**
 * The extra certificate authorities are trusted besides the JDK's; a file that cannot be used stops
 * start-up naming its variable.
 */
class ExtraCertificatesTest {

    static final Path NO_CHART_CERTIFICATE = Path.of("/nonexistent/berth-test/cert.crt");

    static Vertx vertx;
    static TlsServer first;
    static TlsServer second;

    @TempDir
    Path directory;

    @BeforeAll
    static void generateTwoAuthorities() throws Exception {
        vertx = Vertx.vertx();
        first = TlsServer.start(vertx);
        second = TlsServer.start(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
        vertx.close();
    }

    @Test
    void aBundleOfSeveralCertificatesIsTrustedBesidesTheJdksAuthorities() throws Exception {
        Path bundle = directory.resolve("bundle.pem");
        Files.writeString(bundle, "# a comment, as in certifi's bundle\n" + Files.readString(first.authority())
                + Files.readString(second.authority()));

        KeyStore store = new Outbound(Map.of("SSL_CERT_FILE", bundle.toString()), NO_CHART_CERTIFICATE).trustStore()
                .orElseThrow();

        long extra = Collections.list(store.aliases()).stream().filter(alias -> alias.startsWith("extra-")).count();
        assertThat(extra).isEqualTo(2);
        assertThat(store.size()).as("the JDK's authorities are kept").isGreaterThan(50);
    }

    @Test
    void oneBundleNamedByEveryVariableIsReadOnce() throws Exception {
        Path bundle = directory.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(first.authority()) + Files.readString(second.authority()));
        Map<String, String> environment = Map.of("SSL_CERT_FILE", bundle.toString(), "REQUESTS_CA_BUNDLE",
                bundle.toString(), "CURL_CA_BUNDLE", bundle.toString());

        ExtraCertificates.Loaded loaded = ExtraCertificates.read(environment, NO_CHART_CERTIFICATE, new ArrayList<>())
                .orElseThrow();

        long extra = Collections.list(loaded.store().aliases()).stream().filter(alias -> alias.startsWith("extra-"))
                .count();
        assertThat(extra).isEqualTo(2);
        assertThat(loaded.description()).isEqualTo("2 from SSL_CERT_FILE=" + bundle
                + " (also named by REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE)");
    }

    @Test
    void withoutAnyExtraAuthorityTheJdksDefaultsAreLeftUntouched() {
        assertThat(new Outbound(Map.of(), NO_CHART_CERTIFICATE).trustStore()).isEmpty();
    }

    @Test
    void aMissingFileStopsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> new Outbound(Map.of("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem"), NO_CHART_CERTIFICATE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REQUESTS_CA_BUNDLE=/nonexistent/ca.pem is not a readable file");
    }

    @Test
    void aFileThatIsNotPemStopsStartUpNamingTheVariable() throws Exception {
        Path notPem = Files.writeString(directory.resolve("ca.pem"), "not a certificate\n");

        assertThatThrownBy(() -> new Outbound(Map.of("SSL_CERT_FILE", notPem.toString()), NO_CHART_CERTIFICATE))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SSL_CERT_FILE=" + notPem)
                .hasMessageContaining("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void anUnusableChartCertificateStopsStartUpSayingWhere() throws Exception {
        Path broken = Files.writeString(directory.resolve("cert.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n");

        assertThatThrownBy(() -> new Outbound(Map.of(), broken)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("port-agent's chart certificate " + broken);
    }
}
