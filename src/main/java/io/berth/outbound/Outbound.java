package io.berth.outbound;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.TrustManagerFactory;

import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.inject.Singleton;

/**
 * The proxies and certificate authorities of Berth's HTTP calls to Port and to webhooks, from the
 * process environment.
 *
 * <p>Why the environment and not the configuration: these are requests's and OpenSSL's variables, not
 * port-agent's settings, and requests reads them with rules of its own ({@code https_proxy} before
 * {@code HTTPS_PROXY}, an empty one disabling the other) that a configuration source would not keep.
 * A value that cannot be used stops start-up, naming the variable (never a proxy's credentials).
 */
@Singleton
public final class Outbound {

    /** Only a serialisation detail of the REST client's trust store (the store holds no secret). */
    public static final String TRUST_STORE_PASSWORD = "berth-trust";

    private static final Logger LOG = Logger.getLogger(Outbound.class);

    private final Proxies proxies;
    private final Optional<KeyStore> trustStore;

    Outbound() {
        this(System.getenv(), Path.of(ExtraCertificates.CHART_CERTIFICATE));
    }

    private Outbound(Proxies proxies, Optional<KeyStore> trustStore) {
        this.proxies = proxies;
        this.trustStore = trustStore;
    }

    /**
     * @param chartCertificate where port-agent's chart mounts its certificate (trusted when it exists)
     * @throws ConfigurationException listing every variable that cannot be used
     */
    public Outbound(Map<String, String> environment, Path chartCertificate) {
        List<String> problems = new ArrayList<>();
        this.proxies = Proxies.read(environment, problems);
        Optional<ExtraCertificates.Loaded> extra = ExtraCertificates.read(environment, chartCertificate, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Berth cannot start:\n  - " + String.join("\n  - ", problems));
        }
        this.trustStore = extra.map(ExtraCertificates.Loaded::store);
        extra.ifPresent(loaded -> LOG.infof("Port and webhook calls trust the JDK's certificate authorities and %s",
                loaded.description()));
        if (proxies.any()) {
            LOG.infof("Port and webhook calls go through %s", proxies.describe());
        }
    }

    /** Direct connections and the JDK's certificate authorities only. */
    public static Outbound direct() {
        return new Outbound(Proxies.none(), Optional.empty());
    }

    public Proxies proxies() {
        return proxies;
    }

    /** The JDK's authorities plus the extra ones; empty when there is none extra. */
    public Optional<KeyStore> trustStore() {
        return trustStore;
    }

    /** A trust manager factory over {@link #trustStore()}; empty when there is none extra. */
    public Optional<TrustManagerFactory> trustManagers() {
        return trustStore.map(store -> {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                return factory;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("The trust store Berth built cannot be used", e);
            }
        });
    }
}
