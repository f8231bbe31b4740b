package io.berth.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Certificate authorities trusted in addition to the JDK's: the PEM files named by
 * {@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE} and {@code CURL_CA_BUNDLE} (the variables
 * port-agent's image and requests read), and the certificate port-agent's Helm chart mounts at
 * {@value #CHART_CERTIFICATE} when that file exists. Each holds one or more
 * {@code -----BEGIN CERTIFICATE-----} blocks; a file named but unreadable, or holding no
 * certificate, stops start-up naming its variable.
 */
final class ExtraCertificates {

    /** Where port-agent's chart mounts {@code selfSignedCertificate.certificate}. */
    static final String CHART_CERTIFICATE = "/usr/local/share/ca-certificates/cert.crt";

    static final List<String> VARIABLES = List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE");

    /**
     * @param store the JDK's trusted authorities plus the extra ones
     * @param description which files added how many, for the start-up log
     */
    record Loaded(KeyStore store, String description) {
    }

    private ExtraCertificates() {
    }

    /**
     * @param chartCertificate {@value #CHART_CERTIFICATE} in production; used only if it exists
     * @param problems where a file that cannot be used is described
     * @return empty when there is no extra authority (then the JDK's defaults are used untouched)
     */
    static Optional<Loaded> read(Map<String, String> environment, Path chartCertificate, List<String> problems) {
        Map<String, Path> files = new LinkedHashMap<>();
        Map<Path, List<String>> alsoNamedBy = new LinkedHashMap<>();
        for (String variable : VARIABLES) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                Path file = Path.of(value.trim());
                // Images often point all three at one system bundle: it is read (and parsed) once.
                if (files.containsValue(file)) {
                    alsoNamedBy.computeIfAbsent(file, named -> new ArrayList<>()).add(variable);
                } else {
                    files.put(variable, file);
                }
            }
        }
        if (Files.exists(chartCertificate) && !files.containsValue(chartCertificate)) {
            files.put("port-agent's chart certificate", chartCertificate);
        }
        List<X509Certificate> extra = new ArrayList<>();
        List<String> description = new ArrayList<>();
        files.forEach((source, file) -> {
            List<X509Certificate> found = certificates(source, file, problems);
            extra.addAll(found);
            List<String> others = alsoNamedBy.getOrDefault(file, List.of());
            description.add(found.size() + " from " + (source.contains(" ") ? source + " " : source + "=") + file
                    + (others.isEmpty() ? "" : " (also named by " + String.join(", ", others) + ")"));
        });
        if (extra.isEmpty()) {
            return Optional.empty();
        }
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            int index = 0;
            for (X509Certificate authority : jdkAuthorities()) {
                store.setCertificateEntry("jdk-" + index++, authority);
            }
            for (X509Certificate authority : extra) {
                store.setCertificateEntry("extra-" + index++, authority);
            }
            return Optional.of(new Loaded(store, String.join(", ", description)));
        } catch (GeneralSecurityException | IOException e) {
            problems.add("the extra certificate authorities (" + String.join(", ", files.keySet())
                    + ") could not be added to the JDK's: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static List<X509Certificate> certificates(String source, Path file, List<String> problems) {
        String named = source.contains(" ") ? source + " " + file : source + "=" + file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            problems.add(named + " is not a readable file: mount the PEM certificate bundle there, or unset "
                    + (source.contains(" ") ? "the chart's selfSignedCertificate" : source));
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> found = read.stream().filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toList();
            if (found.isEmpty()) {
                problems.add(named + " holds no certificate: it must be PEM, one or more "
                        + "-----BEGIN CERTIFICATE----- blocks");
            }
            return found;
        } catch (CertificateException | IOException e) {
            problems.add(named + " is not a PEM certificate bundle (" + e.getMessage() + "): it must hold one or "
                    + "more -----BEGIN CERTIFICATE----- blocks");
            return List.of();
        }
    }

    private static List<X509Certificate> jdkAuthorities() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> authorities = new ArrayList<>();
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                authorities.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return authorities;
    }
}
