package io.berth.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.berth.port.KafkaCredentials;

/**
 * How Berth's Kafka clients authenticate and encrypt: one value for every consumer, producer and
 * admin client (runs, change log, triggers, bridge, publishing, replies), read from {@code KAFKA_*}
 * ({@link #of(KafkaSettings)}), checked at start-up ({@link #problems(String)}) and turned into
 * kafka-clients properties ({@link #applyTo}).
 *
 * <pre>
 *   security.protocol   KAFKA_CONSUMER_SECURITY_PROTOCOL | KAFKA_SECURITY_PROTOCOL
 *   sasl.mechanism      KAFKA_CONSUMER_AUTHENTICATION_MECHANISM | KAFKA_SASL_MECHANISM
 *   sasl.jaas.config    KAFKA_CONSUMER_USERNAME/_PASSWORD | KAFKA_SASL_USERNAME/_PASSWORD (or Port's)
 *   ssl.truststore.*    KAFKA_SSL_CAFILE                      (type PEM, the file's certificates)
 *   ssl.keystore.*      KAFKA_SSL_CERTFILE + KAFKA_SSL_KEYFILE (type PEM, mutual TLS)
 *   ssl.key.password    KAFKA_SSL_KEY_PASSWORD                (an encrypted key)
 * </pre>
 *
 * The names are port-agent's ({@code KAFKA_CONSUMER_*}) or seed 001's ({@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_*}); messages name the one that was set. Nothing here ever shows a password or a key.
 */
public final class KafkaSecurity {

    static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** The fields {@link #ofFields} reads. */
    public static final Set<String> FIELDS = Set.of("protocol", "sasl_mechanism", "sasl_username", "sasl_password_env",
            "ssl_cafile", "ssl_certfile", "ssl_keyfile", "ssl_key_password_env");

    /** What each setting is called where it was read, for messages. */
    record Names(String protocol, String mechanism, String username, String password, String cafile,
            String certfile, String keyfile, String keyPassword) {
    }

    /** A setting as given, and the name it was given under. */
    private record Named<T>(Optional<T> value, String name) {
    }

    private final Names names;
    private final String protocol;
    private final String mechanism;
    private final String username;
    private final Secret password;
    private final Path cafile;
    private final Path certfile;
    private final Path keyfile;
    private final Secret keyPassword;
    private final List<String> conflicts;

    private KafkaSecurity(Names names, String protocol, String mechanism, String username, Secret password,
            Path cafile, Path certfile, Path keyfile, Secret keyPassword, List<String> conflicts) {
        this.names = names;
        this.protocol = protocol;
        this.mechanism = mechanism;
        this.username = username;
        this.password = password;
        this.cafile = cafile;
        this.certfile = certfile;
        this.keyfile = keyfile;
        this.keyPassword = keyPassword;
        this.conflicts = List.copyOf(conflicts);
    }

    /** {@code KAFKA_*}: port-agent's names or seed 001's; both set to different values is a problem. */
    public static KafkaSecurity of(KafkaSettings kafka) {
        KafkaSettings.Consumer consumer = kafka.consumer();
        List<String> conflicts = new ArrayList<>();
        Named<String> protocol = either(consumer.securityProtocol(), "KAFKA_CONSUMER_SECURITY_PROTOCOL",
                kafka.securityProtocol(), "KAFKA_SECURITY_PROTOCOL", conflicts);
        Named<String> mechanism = either(consumer.authenticationMechanism(), "KAFKA_CONSUMER_AUTHENTICATION_MECHANISM",
                kafka.sasl().mechanism(), "KAFKA_SASL_MECHANISM", conflicts);
        Named<String> username = either(consumer.username(), "KAFKA_CONSUMER_USERNAME", kafka.sasl().username(),
                "KAFKA_SASL_USERNAME", conflicts);
        Named<Secret> password = either(consumer.password(), "KAFKA_CONSUMER_PASSWORD", kafka.sasl().password(),
                "KAFKA_SASL_PASSWORD", conflicts);
        KafkaSettings.Ssl ssl = kafka.ssl();
        Names names = new Names(protocol.name(), mechanism.name(), username.name(), password.name(),
                "KAFKA_SSL_CAFILE", "KAFKA_SSL_CERTFILE", "KAFKA_SSL_KEYFILE", "KAFKA_SSL_KEY_PASSWORD");
        return new KafkaSecurity(names, protocol.value().map(KafkaSecurity::upper).orElse(null),
                mechanism.value().map(KafkaSecurity::upper).filter(m -> !m.equals("NONE")).orElse(null),
                username.value().orElse(null), password.value().orElse(null), path(ssl.cafile()), path(ssl.certfile()),
                path(ssl.keyfile()), ssl.keyPassword().orElse(null), conflicts);
    }

    /**
     * A capability file's own set (a trigger's {@code configuration.security}), with the file's
     * field names: {@code protocol}, {@code sasl_mechanism}, {@code sasl_username},
     * {@code sasl_password_env}, {@code ssl_cafile}, {@code ssl_certfile}, {@code ssl_keyfile},
     * {@code ssl_key_password_env}. Passwords are never in the file: the {@code *_env} fields name
     * the environment variables that hold them.
     *
     * @param prefix what messages put before a field name, e.g. {@code "configuration.security."}
     * @param field a field's text, or null when absent
     * @param secret a {@code *_env} field's secret, or null when absent
     */
    public static KafkaSecurity ofFields(String prefix, Function<String, String> field,
            Function<String, Secret> secret) {
        Names names = new Names(prefix + "protocol", prefix + "sasl_mechanism", prefix + "sasl_username",
                prefix + "sasl_password_env", prefix + "ssl_cafile", prefix + "ssl_certfile", prefix + "ssl_keyfile",
                prefix + "ssl_key_password_env");
        return new KafkaSecurity(names, Optional.ofNullable(field.apply("protocol")).map(KafkaSecurity::upper).orElse(null),
                Optional.ofNullable(field.apply("sasl_mechanism")).map(KafkaSecurity::upper).filter(m -> !m.equals("NONE"))
                        .orElse(null),
                field.apply("sasl_username"), secret.apply("sasl_password_env"),
                path(Optional.ofNullable(field.apply("ssl_cafile"))), path(Optional.ofNullable(field.apply("ssl_certfile"))),
                path(Optional.ofNullable(field.apply("ssl_keyfile"))), secret.apply("ssl_key_password_env"), List.of());
    }

    /**
     * {@code connection} with its security properties ({@code security.protocol}, {@code sasl.*},
     * {@code ssl.*}) replaced by these: a capability's own set replaces Berth's, never mixes with it.
     */
    public Map<String, Object> replacing(Map<String, Object> connection) {
        Map<String, Object> config = new HashMap<>(connection);
        config.keySet().removeIf(key -> key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl."));
        applyTo(config, "PLAINTEXT");
        return config;
    }

    /**
     * Port's brokers ({@code GET /v1/kafka-credentials}): its user and password, over SASL_SSL with
     * SCRAM-SHA-512 unless a protocol or mechanism is set; the TLS files still apply.
     */
    public KafkaSecurity issuedByPort(KafkaCredentials issued) {
        return new KafkaSecurity(names, protocol == null ? "SASL_SSL" : protocol,
                mechanism == null ? "SCRAM-SHA-512" : mechanism, issued.username(), issued.password(), cafile,
                certfile, keyfile, keyPassword, conflicts);
    }

    /** The user name SASL authenticates as, if any. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /**
     * Every reason these settings cannot work, each naming the variable and the fix; reads the TLS files.
     *
     * @param defaultProtocol the protocol when none is set: PLAINTEXT, or SASL_SSL for Port's brokers
     */
    public List<String> problems(String defaultProtocol) {
        List<String> problems = new ArrayList<>(conflicts);
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            problems.add(names.protocol() + " must be one of " + PROTOCOLS + ", was '" + protocol + "'");
        }
        if (mechanism != null && !MECHANISMS.contains(mechanism)) {
            problems.add(names.mechanism() + " must be one of " + MECHANISMS + " or none, was '" + mechanism + "'");
        }
        boolean sasl = protocol != null && protocol.startsWith("SASL_");
        if (sasl && (username == null || password == null)) {
            problems.add(names.protocol() + "=" + protocol + " needs " + names.username() + " and " + names.password());
        }
        if (sasl && mechanism == null) {
            problems.add(names.protocol() + "=" + protocol + " needs " + names.mechanism()
                    + " (SCRAM-SHA-512 for Port's brokers)");
        }
        if ((username == null) != (password == null)) {
            problems.add(names.username() + " and " + names.password() + " go together: set both or neither");
        }
        tlsProblems(protocol == null ? defaultProtocol : protocol, problems);
        return problems;
    }

    /**
     * Puts {@code security.protocol} and the SASL and TLS properties into {@code config}. Call only
     * when {@link #problems} is empty.
     */
    public void applyTo(Map<String, Object> config, String defaultProtocol) {
        config.put("security.protocol", protocol == null ? defaultProtocol : protocol);
        if (mechanism != null && username != null && password != null) {
            config.put("sasl.mechanism", mechanism);
            String module = mechanism.startsWith("SCRAM")
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            config.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(username)
                    + "\" password=\"" + jaasEscape(password.reveal()) + "\";");
        }
        List<String> ignored = new ArrayList<>();
        if (cafile != null) {
            config.put("ssl.truststore.type", "PEM");
            config.put("ssl.truststore.certificates", PemFiles.certificates(cafile, names.cafile(), ignored));
        }
        if (certfile != null && keyfile != null) {
            config.put("ssl.keystore.type", "PEM");
            config.put("ssl.keystore.certificate.chain", PemFiles.certificates(certfile, names.certfile(), ignored));
            config.put("ssl.keystore.key",
                    PemFiles.privateKey(keyfile, names.keyfile(), keyPassword, names.keyPassword(), ignored).pem());
            if (keyPassword != null) {
                config.put("ssl.key.password", keyPassword.reveal());
            }
        }
    }

    /** For the start-up line: protocol, mechanism and user, the files; never a secret. */
    public String describe(String defaultProtocol) {
        StringBuilder text = new StringBuilder(protocol == null ? defaultProtocol : protocol);
        if (mechanism != null && username != null) {
            text.append(" (").append(mechanism).append(" as ").append(username).append(')');
        }
        if (cafile != null) {
            text.append(", trusting ").append(names.cafile()).append('=').append(cafile);
        }
        if (certfile != null) {
            text.append(", client certificate ").append(names.certfile()).append('=').append(certfile);
        }
        return text.toString();
    }

    private void tlsProblems(String effectiveProtocol, List<String> problems) {
        boolean tls = effectiveProtocol.equals("SSL") || effectiveProtocol.equals("SASL_SSL");
        if (!tls && (cafile != null || certfile != null || keyfile != null)) {
            String file = cafile != null ? names.cafile() : certfile != null ? names.certfile() : names.keyfile();
            problems.add(file + " is set but the security protocol is " + effectiveProtocol + ", which does not use "
                    + "TLS: set " + names.protocol() + " to SSL (or SASL_SSL), or unset " + file);
        }
        if (certfile != null && keyfile == null) {
            problems.add(names.certfile() + " is set without " + names.keyfile() + ": set " + names.keyfile()
                    + " to the certificate's private key (mutual TLS needs both), or unset " + names.certfile());
        }
        if (keyfile != null && certfile == null) {
            problems.add(names.keyfile() + " is set without " + names.certfile() + ": set " + names.certfile()
                    + " to the client certificate (mutual TLS needs both), or unset " + names.keyfile());
        }
        if (keyPassword != null && keyfile == null) {
            problems.add(names.keyPassword() + " is set without " + names.keyfile() + ": unset it, or set "
                    + names.keyfile() + " to the encrypted key");
        }
        if (cafile != null) {
            PemFiles.certificates(cafile, names.cafile(), problems);
        }
        if (certfile != null && keyfile != null) {
            int before = problems.size();
            PemFiles.certificates(certfile, names.certfile(), problems);
            PemFiles.Key key = PemFiles.privateKey(keyfile, names.keyfile(), keyPassword, names.keyPassword(), problems);
            X509Certificate first = problems.size() == before ? PemFiles.first(certfile) : null;
            if (key != null && first != null && !PemFiles.belongTogether(key.key(), first)) {
                problems.add(names.keyfile() + " (" + keyfile + ") is not the private key of the first certificate of "
                        + names.certfile() + " (" + certfile + "): name the key the client certificate was issued for");
            }
        }
    }

    private static <T> Named<T> either(Optional<T> primary, String primaryName, Optional<T> alias, String aliasName,
            List<String> conflicts) {
        if (primary.isPresent() && alias.isPresent() && !primary.get().equals(alias.get())) {
            conflicts.add(primaryName + " and " + aliasName + " are both set and differ: set only one of them");
        }
        return primary.isPresent() || alias.isEmpty() ? new Named<>(primary, primaryName) : new Named<>(alias, aliasName);
    }

    private static Path path(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).map(v -> Path.of(v.trim())).orElse(null);
    }

    private static String upper(String value) {
        return value.trim().toUpperCase(Locale.ROOT);
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
