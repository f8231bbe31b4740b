package io.berth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code env} in mappings: a run cannot choose which variable is read. Literal names are the
 * mapping author's; computed names must match BERTH_MAPPING_ENV_ALLOW; Berth's own secrets never.
 */
class MappingEnvironmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-value";
    private static final Map<String, String> ENV = Map.of(
            "PORT_CLIENT_SECRET", SECRET, "KAFKA_CONSUMER_PASSWORD", SECRET, "BERTH_CONSOLE_TOKEN", SECRET,
            "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD", SECRET, "QUARKUS_HTTP_PORT", "8080",
            "AWS_SECRET_ACCESS_KEY", SECRET, "DEPLOYER_TOKEN", "deploy-tok", "acme_checkout", "glptt-1",
            "ACME_GITLAB_TOKEN", "glptt-2");

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        Logger.getLogger(MappingEnvironment.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger(MappingEnvironment.class.getName()).removeHandler(capture);
    }

    private static JsonNode eval(Jq jq, String expression, String input) throws Exception {
        return jq.evaluate(expression, JSON.readTree(input));
    }

    /** Every warning with its parameters, however the logging backend passed them. */
    private String warned() {
        StringBuilder all = new StringBuilder();
        for (LogRecord record : warnings) {
            all.append(record.getMessage());
            for (Object parameter : record.getParameters() == null ? new Object[0] : record.getParameters()) {
                all.append(' ').append(parameter);
            }
            all.append('\n');
        }
        return all.toString();
    }

    @Test
    void aLiteralNameIsReadableAndAComputedOneOnlyWhenAllowed() throws Exception {
        Jq jq = new Jq(ENV, List.of("acme_*"));

        assertThat(eval(jq, "env.DEPLOYER_TOKEN", "{}").textValue()).isEqualTo("deploy-tok");
        assertThat(eval(jq, "env.QUARKUS_HTTP_PORT", "{}").textValue()).isEqualTo("8080");
        assertThat(eval(jq, "env[.p + \"_checkout\"]", "{\"p\":\"acme\"}").textValue()).isEqualTo("glptt-1");
        assertThat(eval(jq, "env[.name]", "{\"name\":\"AWS_SECRET_ACCESS_KEY\"}")).isNull();
        assertThat(eval(jq, "env[.name]", "{\"name\":\"DEPLOYER_TOKEN\"}")).isNull();
        assertThat(warned()).contains("BERTH_MAPPING_ENV_ALLOW").doesNotContain(SECRET)
                .doesNotContain("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void theDefaultAllowListReadsComputedGitLabTokenNames() throws Exception {
        Jq jq = new Jq(ENV);

        assertThat(eval(jq, "env[.g + \"_GITLAB_TOKEN\"]", "{\"g\":\"ACME\"}").textValue()).isEqualTo("glptt-2");
        assertThat(eval(jq, "env[.g + \"_checkout\"]", "{\"g\":\"acme\"}")).isNull();
    }

    @Test
    void berthsOwnSecretsAreNeverReadableLiterallyComputedOrAllowed() throws Exception {
        Jq jq = new Jq(ENV, List.of("*"));

        for (String name : List.of("PORT_CLIENT_SECRET", "KAFKA_CONSUMER_PASSWORD", "BERTH_CONSOLE_TOKEN",
                "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD")) {
            assertThat(eval(jq, "env." + name, "{}")).as(name).isNull();
            assertThat(eval(jq, "$ENV[\"" + name + "\"]", "{}")).as(name).isNull();
            assertThat(eval(jq, "env[.n]", "{\"n\":\"" + name + "\"}")).as(name).isNull();
        }
        assertThat(warned()).contains("PORT_*, KAFKA_*, BERTH_*").doesNotContain(SECRET);
    }

    @Test
    void theWholeEnvironmentShowsOnlyWhatTheExpressionMayRead() throws Exception {
        Jq jq = new Jq(ENV, List.of("acme_*"));

        JsonNode all = eval(jq, "env.DEPLOYER_TOKEN as $t | env", "{}");
        assertThat(all).isInstanceOf(ObjectNode.class);
        assertThat(all.toString()).contains("deploy-tok", "glptt-1").doesNotContain(SECRET);
        assertThat(eval(jq, "$ENV | tostring", "{}").textValue()).doesNotContain(SECRET).doesNotContain("deploy-tok");
        assertThat(eval(jq, "env | keys", "{}").toString()).isEqualTo("[\"acme_checkout\"]");
    }

    @Test
    void findsTheNamesAnExpressionWritesLiterally() {
        assertThat(MappingEnvironment.literalNames(
                "\"Bearer \" + env.A_1 + $ENV.B + env[\"C-x\"] + env.\"D\" + $ENV . [\"E\"] + env[.computed]"))
                .containsExactly("A_1", "B", "C-x", "D", "E");
    }
}
