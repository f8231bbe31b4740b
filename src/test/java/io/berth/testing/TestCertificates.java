package io.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * A certificate authority, a broker certificate for {@code localhost}/{@code 127.0.0.1} and a client
 * certificate it signed, and a second, unrelated authority, generated for this run with the JDK's
 * keytool (EC P-256, valid two days) and written as PEM files the way operators get them: certificates
 * in {@code -----BEGIN CERTIFICATE-----} blocks, keys unencrypted in PKCS#8.
 */
public final class TestCertificates {

    private static final String PASSWORD = "test-keystore";

    /** A certificate (with the chain up to, not including, its authority) and its key, as PEM files. */
    public record Identity(Path certificate, Path key) {

        public String certificatePem() {
            return readString(certificate);
        }

        public String keyPem() {
            return readString(key);
        }
    }

    private final Path directory;
    private final Path authority;
    private final Path otherAuthority;
    private final Identity broker;
    private final Identity client;

    /** Where {@link #shared()} keeps its set: under the build's {@code target}, so every test JVM of a build finds it. */
    private static final Path SHARED_DIRECTORY = Path.of("target", "test-certificates").toAbsolutePath();
    /** Written last: a set without it was cut short and is made again. */
    private static final String COMPLETE = "complete";
    /** The certificates are valid two days; a set older than this is made again before it can expire mid-run. */
    private static final Duration REUSE_FOR = Duration.ofHours(20);

    private TestCertificates(Path directory) {
        this.directory = directory;
        authority = directory.resolve("ca.pem");
        otherAuthority = directory.resolve("other-ca.pem");
        broker = new Identity(directory.resolve("broker.pem"), directory.resolve("broker-key.pem"));
        client = new Identity(directory.resolve("client.pem"), directory.resolve("client-key.pem"));
    }

    private static TestCertificates shared;

    /**
     * One set per build, generated on first use (keytool is slow: eight JVM starts) and reused by
     * every later test JVM of the build, surefire's and failsafe's and the production jars they start.
     * Do not overwrite its files.
     */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            shared = reusable(SHARED_DIRECTORY).orElseGet(() -> generateInto(SHARED_DIRECTORY));
        }
        return shared;
    }

    /** Generates everything in a new temporary directory. */
    public static TestCertificates generate() {
        try {
            return generateInto(Files.createTempDirectory("berth-kafka-tls"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot generate test certificates", e);
        }
    }

    private static Optional<TestCertificates> reusable(Path directory) {
        try {
            Path complete = directory.resolve(COMPLETE);
            if (Files.exists(complete) && Files.getLastModifiedTime(complete).toInstant()
                    .isAfter(Instant.now().minus(REUSE_FOR))) {
                return Optional.of(new TestCertificates(directory));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static TestCertificates generateInto(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(directory.resolve(COMPLETE));
            TestCertificates certificates = new TestCertificates(directory);
            certificates.selfSigned("ca", "CN=Berth test CA");
            certificates.selfSigned("other-ca", "CN=Someone else's CA");
            certificates.signed("broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
            certificates.signed("client", "CN=berth-client", null);
            Files.writeString(directory.resolve(COMPLETE), Instant.now().toString());
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate test certificates", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while generating test certificates", e);
        }
    }

    /** The PEM file of the authority that signed the broker's and the client's certificates. */
    public Path authority() {
        return authority;
    }

    public String authorityPem() {
        return readString(authority);
    }

    /** The PEM file of an authority that signed neither. */
    public Path otherAuthority() {
        return otherAuthority;
    }

    public Identity broker() {
        return broker;
    }

    public Identity client() {
        return client;
    }

    /**
     * The client's key encrypted with {@code password} (PKCS#8, PBEWithSHA1AndDESede: a scheme the
     * JDK, and so Kafka's PEM key store, decrypts), as a new PEM file.
     */
    public Path encryptedClientKey(String password) {
        try {
            byte[] plain = Base64.getMimeDecoder().decode(client.keyPem()
                    .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
            String algorithm = "PBEWithSHA1AndDESede";
            SecretKey secret = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray()));
            Cipher cipher = Cipher.getInstance(algorithm);
            byte[] salt = new byte[8];
            new SecureRandom().nextBytes(salt);
            cipher.init(Cipher.ENCRYPT_MODE, secret, new PBEParameterSpec(salt, 2048));
            byte[] encrypted = cipher.doFinal(plain);
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(cipher.getParameters(), encrypted);
            return Files.writeString(Files.createTempFile(directory, "client-key-encrypted-", ".pem"),
                    pem("ENCRYPTED PRIVATE KEY", info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt the test client key", e);
        }
    }

    public Path directory() {
        return directory;
    }

    private void selfSigned(String alias, String name) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = directory.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", name, "-ext", "bc:c", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        Files.writeString(directory.resolve(alias + ".pem"), pem("CERTIFICATE", load(store).getCertificate(alias).getEncoded()));
    }

    private void signed(String alias, String name, String extension)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path store = directory.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", name, "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD);
        Path request = directory.resolve(alias + ".csr");
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", request.toString());
        Path certificate = directory.resolve(alias + ".pem");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore",
                directory.resolve("ca.p12").toString(), "-storepass", PASSWORD, "-infile", request.toString(),
                "-outfile", certificate.toString(), "-rfc", "-validity", "2"));
        if (extension != null) {
            gencert.addAll(List.of("-ext", extension));
        }
        keytool(gencert.toArray(String[]::new));
        Key key = load(store).getKey(alias, PASSWORD.toCharArray());
        Files.writeString(directory.resolve(alias + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        return keyStore;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the JDK's keytool; its output becomes the exception's message when it fails. */
    static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A short-lived JVM: the client compiler alone and the serial collector start it fastest.
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed: " + output);
        }
    }
}
