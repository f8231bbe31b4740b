package io.berth.handlers.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.berth.config.Secret;
import io.berth.handlers.RecordingRun;
import io.berth.handlers.RunResult;
import io.berth.testing.CapturedLogs;
import io.berth.testing.PostgresCluster;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * A Secret that appears between create_database's check and its create (Kubernetes answers 409): the
 * run fails, drops the role and database it made on a real PostgreSQL, and the generated password (read
 * back from the refused request) is in no log line and not in the failure.
 */
class KubernetesSecretRaceTest {

    static final String SECRETS = "/api/v1/namespaces/shop/secrets";

    KubernetesMockServer server = new KubernetesMockServer(false);
    CapturedLogs logs = new CapturedLogs();
    PostgresCluster postgres;

    @AfterEach
    void stop() {
        logs.stop();
        server.destroy();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aSecretCreatedMeanwhileFailsTheRunAndUndoesTheRoleAndDatabaseWithoutShowingThePassword() throws Exception {
        assumeTrue(PostgresCluster.binaries().isPresent(), "no PostgreSQL server installed");
        postgres = PostgresCluster.start(Path.of("target"));
        server.init();
        server.expect().get().withPath(SECRETS + "/orders-credentials").andReturn(404, new StatusBuilder().withCode(404)
                .withReason("NotFound").withMessage("secrets \"orders-credentials\" not found").build()).always();
        server.expect().post().withPath(SECRETS).andReturn(409, new StatusBuilder().withCode(409).withReason("AlreadyExists")
                .withMessage("secrets \"orders-credentials\" already exists").build()).once();
        NamespacedKubernetesClient client = server.createClient();
        DatabaseSettingsCheckTest.Settings settings = new DatabaseSettingsCheckTest.Settings(
                Optional.of(postgres.url("postgres")), Optional.of(PostgresCluster.SUPERUSER),
                Optional.of(Secret.of(postgres.password())), Optional.empty(), "kubernetes", Optional.of("shop"),
                "{database}-credentials", "database", "service", 10);
        logs.start();

        RunResult result = new CreateDatabase(settings, () -> client).handle(new RecordingRun("r_race", "create_database",
                JsonNodeFactory.instance.objectNode().put("name", "orders").put("service", "cart")));

        assertThat(result).isEqualTo(RunResult.failure("Could not create database orders: Secret shop/orders-credentials "
                + "exists already (created meanwhile by someone else); Berth does not overwrite it; removed the database, "
                + "role it had made"));
        String password = refusedPassword();
        assertThat(password).hasSize(32);
        assertThat(result.toString()).doesNotContain(password);
        assertThat(logs.lines()).noneMatch(line -> line.contains(password));
        try (Connection admin = DriverManager.getConnection(postgres.url("postgres"), PostgresCluster.SUPERUSER,
                postgres.password())) {
            assertThat(count(admin, "SELECT count(*) FROM pg_database WHERE datname = 'orders'")).isZero();
            assertThat(count(admin, "SELECT count(*) FROM pg_roles WHERE rolname = 'orders'")).isZero();
        }
        client.close();
    }

    /** PGPASSWORD from the POST that Kubernetes refused: the password the run generated. */
    private String refusedPassword() throws Exception {
        RecordedRequest post = null;
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest request = server.takeRequest();
            if (request.getMethod().equals("POST")) {
                post = request;
            }
        }
        assertThat(post).as("the Secret's create request").isNotNull();
        JsonNode secret = new ObjectMapper().readTree(post.getUtf8Body());
        return new String(Base64.getDecoder().decode(secret.path("data").path("PGPASSWORD").asText()),
                StandardCharsets.UTF_8);
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
