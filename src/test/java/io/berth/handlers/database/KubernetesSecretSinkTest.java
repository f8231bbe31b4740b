package io.berth.handlers.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.handlers.RecordingRun;
import io.berth.handlers.RunResult;
import io.berth.testing.CapturedLogs;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;

/** create_database's Kubernetes Secret sink, against the Kubernetes mock server (CRUD mode). */
class KubernetesSecretSinkTest {

    static final String PASSWORD = "pw-7Hq2xVb9Zk4LmN8sRt1Yc3Ud5We6";

    KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(),
            new HashMap<>(), new KubernetesCrudDispatcher(), false);
    NamespacedKubernetesClient client;
    CapturedLogs logs = new CapturedLogs();
    KubernetesSecretSink sink;

    @BeforeEach
    void start() {
        server.init();
        client = server.createClient();
        sink = new KubernetesSecretSink(client, "shop", "{database}-credentials");
        logs.start();
    }

    @AfterEach
    void stop() {
        logs.stop();
        client.close();
        server.destroy();
    }

    @Test
    void storesEachValueAsAKeyOfAnOpaqueSecretNamedAfterTheDatabaseAndRemovesIt() throws IOException {
        assertThat(sink.exists("payments_2")).isFalse();

        sink.store("payments_2", credentials());

        Secret stored = client.secrets().inNamespace("shop").withName("payments-2-credentials").get();
        assertThat(stored.getType()).isEqualTo("Opaque");
        assertThat(stored.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "berth");
        assertThat(decoded(stored)).containsExactlyEntriesOf(credentials());
        assertThat(sink.exists("payments_2")).isTrue();
        assertThat(sink.describe("payments_2")).isEqualTo("Secret shop/payments-2-credentials");

        sink.remove("payments_2");
        assertThat(sink.exists("payments_2")).isFalse();
        assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD));
    }

    @Test
    void neverOverwritesASecretThatExistsAndSaysSoWithoutThePassword() {
        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata()
                .withName("payments-credentials").endMetadata().addToStringData("PGPASSWORD", "theirs").build()).create();

        assertThatThrownBy(() -> sink.store("payments", credentials())).isInstanceOf(IOException.class)
                .hasMessage("Secret shop/payments-credentials exists already (created meanwhile by someone else); "
                        + "Berth does not overwrite it")
                .hasMessageNotContaining(PASSWORD);

        assertThat(client.secrets().inNamespace("shop").withName("payments-credentials").get().getStringData())
                .containsExactly(Map.entry("PGPASSWORD", "theirs"));
        assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD));
    }

    @Test
    void aRunWhoseSecretExistsFailsBeforeConnectingToPostgresql() throws Exception {
        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata()
                .withName("orders-credentials").endMetadata().addToStringData("PGPASSWORD", "theirs").build()).create();
        CreateDatabase handler = new CreateDatabase(DatabaseSettingsCheckTest.kubernetes("shop", "{database}-credentials"),
                () -> client);

        RunResult result = handler.handle(new RecordingRun("r_exists", "create_database",
                JsonNodeFactory.instance.objectNode().put("name", "orders").put("service", "cart")));

        // The admin URL points at a closed port: a FAILURE naming the Secret shows nothing was tried there.
        assertThat(result).isEqualTo(RunResult.failure("Credentials for 'orders' exist already at Secret "
                + "shop/orders-credentials: choose another name, or remove them if their database is gone"));
        assertThat(client.secrets().inNamespace("shop").withName("orders-credentials").get().getStringData())
                .containsEntry("PGPASSWORD", "theirs");
    }

    private static Map<String, String> credentials() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PGUSER", "payments_2");
        values.put("PGPASSWORD", PASSWORD);
        return values;
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        secret.getData().forEach((key, value) -> values.put(key,
                new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        return values;
    }
}
