package io.berth.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads the PEM files of {@code KAFKA_SSL_*} as Kafka's PEM key and trust stores will
 * ({@code ssl.keystore.type=PEM}: certificates in {@code -----BEGIN CERTIFICATE-----} blocks, the key
 * in PKCS#8, {@code -----BEGIN PRIVATE KEY-----} or {@code -----BEGIN ENCRYPTED PRIVATE KEY-----}), so
 * that a file Kafka would refuse at its first connection stops start-up instead, with the variable and
 * the fix. Messages name files and variables, never a key or a password.
 */
final class PemFiles {

    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN (ENCRYPTED )?PRIVATE KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END (ENCRYPTED )?PRIVATE KEY-----");
    private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ([A-Z]+ )?PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "DSA");

    /** A private key as Kafka's {@code ssl.keystore.key} takes it, and the key itself for checks. */
    record Key(String pem, PrivateKey key) {
    }

    private PemFiles() {
    }

    /**
     * The certificates of {@code file} re-encoded as PEM (comments and other blocks dropped), or null
     * with a problem when it cannot be read or holds no certificate.
     */
    static String certificates(Path file, String variable, List<String> problems) {
        List<X509Certificate> found = parseCertificates(file, variable, problems);
        if (found == null) {
            return null;
        }
        StringBuilder pem = new StringBuilder();
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate certificate : found) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateException e) {
                problems.add(variable + " (" + file + ") holds a certificate that cannot be encoded: " + e.getMessage());
                return null;
            }
        }
        return pem.toString();
    }

    /** The first certificate of {@code file}, or null (problems are reported by {@link #certificates}). */
    static X509Certificate first(Path file) {
        List<X509Certificate> found = parseCertificates(file, "", new ArrayList<>());
        return found == null ? null : found.get(0);
    }

    /**
     * The PKCS#8 key of {@code file}, decrypted with {@code password} when it is encrypted, or null
     * with a problem naming the variable and the fix.
     */
    static Key privateKey(Path file, String variable, Secret password, String passwordVariable, List<String> problems) {
        String content = read(file, variable, problems);
        if (content == null) {
            return null;
        }
        Matcher block = KEY.matcher(content);
        if (!block.find()) {
            Matcher other = OTHER_KEY.matcher(content);
            problems.add(other.find()
                    ? variable + " (" + file + ") holds a '" + other.group().replace("-", "").trim() + "', which Kafka "
                            + "cannot read: convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in " + file
                            + " -out key.pem' (or -v2 aes-256-cbc to keep it encrypted) and name the new file"
                    : variable + " (" + file + ") holds no '-----BEGIN PRIVATE KEY-----' block: name the PEM file of "
                            + "the client certificate's private key (PKCS#8)");
            return null;
        }
        boolean encrypted = block.group(1) != null;
        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
        if (encrypted && password == null) {
            problems.add(variable + " (" + file + ") is encrypted: set " + passwordVariable + " to its password");
            return null;
        }
        if (!encrypted && password != null) {
            problems.add(passwordVariable + " is set but " + variable + " (" + file + ") is not encrypted: unset "
                    + passwordVariable + " (Kafka would try to decrypt the key and fail)");
            return null;
        }
        PKCS8EncodedKeySpec spec;
        try {
            spec = encrypted ? decrypt(der, password) : new PKCS8EncodedKeySpec(der);
        } catch (GeneralSecurityException | IOException e) {
            problems.add(passwordVariable + " does not decrypt " + variable + " (" + file + "), or the JDK cannot "
                    + "read its encryption (" + e.getClass().getSimpleName() + "): check the password, or "
                    + "re-encrypt the key with 'openssl pkcs8 -topk8 -v2 aes-256-cbc'");
            return null;
        }
        PrivateKey key = decode(spec);
        if (key == null) {
            problems.add(variable + " (" + file + ") holds a private key the JDK cannot read (not RSA, EC, EdDSA or "
                    + "DSA in PKCS#8): name the PEM file of the client certificate's private key");
            return null;
        }
        return new Key(block.group().trim() + "\n", key);
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies: the pair of one client identity. */
    static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        byte[] challenge = "berth-kafka-client-identity".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            PublicKey publicKey = certificate.getPublicKey();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<X509Certificate> parseCertificates(Path file, String variable, List<String> problems) {
        String content = read(file, variable, problems);
        if (content == null) {
            return null;
        }
        List<X509Certificate> found = new ArrayList<>();
        if (!content.contains("-----BEGIN CERTIFICATE-----")) {
            problems.add(variable + " (" + file + ") holds no '-----BEGIN CERTIFICATE-----' block: name a PEM file "
                    + "of certificates");
            return null;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Certificate certificate : factory.generateCertificates(
                    new ByteArrayInputStream(content.getBytes(StandardCharsets.US_ASCII)))) {
                found.add((X509Certificate) certificate);
            }
        } catch (CertificateException e) {
            problems.add(variable + " (" + file + ") holds a certificate that does not parse (" + e.getMessage()
                    + "): name a PEM file of '-----BEGIN CERTIFICATE-----' blocks");
            return null;
        }
        return found;
    }

    private static String read(Path file, String variable, List<String> problems) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            problems.add(variable + " names " + file + ", which does not exist: check the path (mounted into the "
                    + "container?), or unset " + variable);
        } catch (IOException e) {
            problems.add(variable + " names " + file + ", which cannot be read (" + e.getClass().getSimpleName()
                    + "): make it readable by Berth's user");
        }
        return null;
    }

    /** As Kafka's PEM store decrypts: the PBE algorithm the key names, with its parameters. */
    private static PKCS8EncodedKeySpec decrypt(byte[] der, Secret password) throws GeneralSecurityException, IOException {
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        String algorithm = info.getAlgName();
        SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.reveal().toCharArray())),
                info.getAlgParameters());
        return info.getKeySpec(cipher);
    }

    private static PrivateKey decode(PKCS8EncodedKeySpec spec) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        return null;
    }
}
