package io.berth.handlers.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * Credentials as a Kubernetes Secret per database ({@code BERTH_DATABASE_SECRET_SINK=kubernetes}):
 * an {@code Opaque} Secret in {@code BERTH_DATABASE_SECRET_NAMESPACE}, named by
 * {@code BERTH_DATABASE_SECRET_NAME} (e.g. {@code payments_2} → {@code payments-2-credentials}), one key
 * per value, for a Deployment's {@code envFrom.secretRef}. Created, never replaced: an existing Secret
 * of that name makes the API answer 409 and the run fail. Kubernetes' messages are passed on by their
 * status text only, so a request body (the password) cannot reach a message.
 */
final class KubernetesSecretSink implements SecretSink {

    static final String DATABASE_PLACEHOLDER = "{database}";
    private static final int CONFLICT = 409;

    private final KubernetesClient client;
    private final String namespace;
    private final String namePattern;

    KubernetesSecretSink(KubernetesClient client, String namespace, String namePattern) {
        this.client = client;
        this.namespace = namespace;
        this.namePattern = namePattern;
    }

    /** The Secret's name for {@code database}: '_' is not allowed in a Kubernetes name, '-' is not in a database's. */
    static String secretName(String namePattern, String database) {
        return namePattern.replace(DATABASE_PLACEHOLDER, database.replace('_', '-'));
    }

    @Override
    public String describe(String database) {
        return "Secret " + namespace + "/" + secretName(namePattern, database);
    }

    @Override
    public boolean exists(String database) throws IOException {
        try {
            return secret(database).get() != null;
        } catch (KubernetesClientException e) {
            throw refused("read", database, e);
        }
    }

    @Override
    public void store(String database, Map<String, String> values) throws IOException {
        Map<String, String> data = new LinkedHashMap<>();
        Base64.Encoder base64 = Base64.getEncoder();
        values.forEach((key, value) -> data.put(key, base64.encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        Secret secret = new SecretBuilder().withNewMetadata().withName(secretName(namePattern, database))
                .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "berth")
                .addToAnnotations("berth.io/database", database).endMetadata().withType("Opaque").withData(data).build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == CONFLICT) {
                throw new IOException(describe(database) + " exists already (created meanwhile by someone else); "
                        + "Berth does not overwrite it");
            }
            throw refused("create", database, e);
        }
    }

    @Override
    public void remove(String database) throws IOException {
        try {
            secret(database).delete();
        } catch (KubernetesClientException e) {
            throw refused("delete", database, e);
        }
    }

    private Resource<Secret> secret(String database) {
        return client.secrets().inNamespace(namespace).withName(secretName(namePattern, database));
    }

    private IOException refused(String verb, String database, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getCode() > 0 ? "HTTP " + e.getCode() : "no answer from the Kubernetes API";
        return new IOException("Could not " + verb + " " + describe(database) + ": " + reason);
    }
}
