package io.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;

/**
 * An HTTPS server on 127.0.0.1 with a certificate generated for this run by the JDK's keytool
 * (self-signed, so that its PEM is the authority to trust, as port-agent's chart's
 * {@code selfSignedCertificate} is). Every request is answered 200 with a Port-like access token,
 * so it serves as Port and as a webhook.
 */
public final class TlsServer implements AutoCloseable {

    private static final String PASSWORD = "test-keystore";

    private final HttpServer server;
    private final Path authority;
    private final AtomicInteger requests = new AtomicInteger();

    private TlsServer(Vertx vertx, Path directory) throws Exception {
        Path keyStore = directory.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=Berth test server", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "bc:c",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        authority = directory.resolve("authority.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", authority.toString());
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PfxOptions().setPath(keyStore.toString()).setPassword(PASSWORD)));
        server.requestHandler(request -> request.body().onComplete(body -> {
            requests.incrementAndGet();
            request.response().putHeader("Content-Type", "application/json")
                    .end("{\"ok\":true,\"accessToken\":\"tls-token\",\"expiresIn\":3600}");
        }));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static TlsServer start(Vertx vertx) throws Exception {
        return new TlsServer(vertx, Files.createTempDirectory("berth-tls"));
    }

    /** The PEM of the server's certificate: the authority a client must trust. */
    public Path authority() {
        return authority;
    }

    public String baseUrl() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    /** Requests answered (after a TLS handshake that succeeded). */
    public int requests() {
        return requests.get();
    }

    /** Starts counting requests again. */
    public void forget() {
        requests.set(0);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        TestCertificates.keytool(arguments);
    }
}
