package io.berth.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.testing.CapturedLogs;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.berth.testing.PostgresCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * The Port POC's first three handlers through the real pipeline: each run delivered through Kafka,
 * reported to the Port stand-in, and checked against its real effect: the bare repository's history,
 * the PostgreSQL cluster's databases and roles, the migrated tables.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortPocResource.class, restrictToAnnotatedClass = true)
class PortPocHandlersIT {

    static final Duration WITHIN = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final CapturedLogs LOGS = new CapturedLogs();

    PortStandIn port = PortStandInResource.standIn();

    @BeforeAll
    static void captureEveryLogLineAndCreateTheEventTopics() {
        LOGS.start();
        Set<String> existing = KafkaBrokerResource.companion().topics().list();
        for (String topic : ConsumerEvents.TOPICS) {
            if (!existing.contains(topic)) {
                KafkaBrokerResource.companion().topics().createAndWait(topic, 1);
            }
        }
    }

    @AfterAll
    static void stopCapturing() {
        LOGS.stop();
    }

    // ---- scaffold_service ---------------------------------------------------------------------

    @Test
    void scaffoldPushesTheTemplatedInitialCommitAndRecordsTheServiceEntity() throws Exception {
        String name = "payments-" + suffix();
        Path remote = bareRepository(name);

        String runId = run("scaffold_service", Map.of("name", name, "description", "Takes payments"));

        assertThat(ended(runId)).isEqualTo("SUCCESS");
        try (Git git = Git.open(remote.toFile())) {
            Repository repository = git.getRepository();
            ObjectId main = repository.resolve("refs/heads/main");
            assertThat(main).isNotNull();
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit commit = walk.parseCommit(main);
                assertThat(commit.getParentCount()).isZero();
                assertThat(commit.getFullMessage()).contains("Scaffold " + name).contains(runId);
                assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("dana@example.com");
                assertThat(text(repository, commit, "README.md")).isEqualTo("# " + name + "\n\nTakes payments\n");
                assertThat(text(repository, commit, "src/" + name + "/application.properties"))
                        .isEqualTo("service.name=" + name + "\n");
                assertThat(bytes(repository, commit, "logo.bin")).isEqualTo(PortPocResource.binary());
                assertThat(executable(repository, commit, "run.sh")).isTrue();
            }
        }
        String web = "https://git.example.com/acme/" + name;
        assertThat(port.entities(runId)).singleElement().satisfies(entity -> {
            assertThat(entity.path("identifier").asText()).isEqualTo(name);
            assertThat(entity.at("/properties/url").asText()).isEqualTo(web);
        });
        assertThat(port.patches(runId)).extracting(patch -> patch.path("link").toString()).anyMatch(l -> l.contains(web));
        assertThat(summary(runId)).contains("Created repository " + name).contains(web);
        assertThat(port.logs(runId)).anyMatch(line -> line.contains("Pushing"));
        assertThat(workingCopies()).isEmpty();
    }

    @Test
    void scaffoldFailsOnAnInvalidRepositoryNameSayingWhatAValidOneIs() throws Exception {
        String runId = run("scaffold_service", Map.of("name", "Payments API!"));

        assertThat(ended(runId)).isEqualTo("FAILURE");
        assertThat(summary(runId)).contains("Repository name 'Payments API!' is not valid")
                .contains("lower-case letters").contains("e.g. payments-api");
        assertThat(port.entities(runId)).isEmpty();
        assertThat(workingCopies()).isEmpty();
    }

    @Test
    void scaffoldOfARepositoryThatIsNotNewFailsAndLeavesItAsItWas() throws Exception {
        String name = "taken-" + suffix();
        Path remote = bareRepository(name);
        ObjectId before = pushSomething(remote);

        String runId = run("scaffold_service", Map.of("name", name));

        assertThat(ended(runId)).isEqualTo("FAILURE");
        assertThat(summary(runId)).contains("already has branch main").contains("Choose another name");
        try (Git git = Git.open(remote.toFile())) {
            assertThat(git.getRepository().resolve("refs/heads/main")).isEqualTo(before);
        }
        assertThat(port.entities(runId)).isEmpty();
        assertThat(workingCopies()).isEmpty();
    }

    @Test
    void scaffoldWhoseEntityPortRefusesRemovesTheBranchItPushed() throws Exception {
        String name = "refused-" + suffix();
        Path remote = bareRepository(name);
        port.refuseEntity(name);

        String runId = run("scaffold_service", Map.of("name", name));

        assertThat(ended(runId)).isEqualTo("FAILURE");
        assertThat(summary(runId)).contains("Port answered 422").contains("removed branch main");
        try (Git git = Git.open(remote.toFile())) {
            assertThat(git.getRepository().resolve("refs/heads/main")).isNull();
        }
        assertThat(workingCopies()).isEmpty();
    }

    // ---- create_database ----------------------------------------------------------------------

    @Test
    void createDatabaseMakesADatabaseWhoseRoleLogsInWithThePasswordFromTheSinkOnly() throws Exception {
        PostgresCluster postgres = postgres();
        String name = "payments_" + suffix();
        ConsumerEvents events = new ConsumerEvents();

        String runId = run("create_database", Map.of("name", name, "service", "payments-api"));

        assertThat(ended(runId)).isEqualTo("SUCCESS");
        Path secret = PortPocResource.secretDir().resolve(name + ".env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        Properties credentials = new Properties();
        credentials.load(Files.newBufferedReader(secret));
        assertThat(credentials.getProperty("PGUSER")).isEqualTo(name);
        String password = credentials.getProperty("PGPASSWORD");
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThat(credentials.getProperty("JDBC_URL")).isEqualTo(postgres.url(name));
        try (Connection connection = DriverManager.getConnection(credentials.getProperty("JDBC_URL"), name, password);
                ResultSet row = connection.createStatement().executeQuery("SELECT current_user, current_database()")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo(name);
            assertThat(row.getString(2)).isEqualTo(name);
        }
        assertThat(port.entities(runId)).singleElement().satisfies(entity -> {
            assertThat(entity.path("identifier").asText()).isEqualTo(name);
            assertThat(entity.at("/relations/service").asText()).isEqualTo("payments-api");
        });
        assertThat(summary(runId)).contains("Created database " + name).contains(secret.toString());

        List<String> published = events.untilCompletionOf(runId);
        assertThat(published).isNotEmpty();
        assertThat(published).noneMatch(value -> value.contains(password));
        assertThat(port.allRequestBodiesAndHeaders()).noneMatch(request -> request.contains(password));
        assertThat(LOGS.lines()).isNotEmpty().noneMatch(line -> line.contains(password));
    }

    @Test
    void createDatabaseFailsWhenTheDatabaseExistsAndMakesNothing() throws Exception {
        String name = "taken_" + suffix();
        admin("postgres", "CREATE DATABASE " + name);

        String runId = run("create_database", Map.of("name", name, "service", "payments-api"));

        assertThat(ended(runId)).isEqualTo("FAILURE");
        assertThat(summary(runId)).contains("Database '" + name + "' exists already").contains("choose another name");
        assertThat(exists("SELECT 1 FROM pg_roles WHERE rolname = '" + name + "'")).isFalse();
        assertThat(PortPocResource.secretDir().resolve(name + ".env")).doesNotExist();
        assertThat(port.entities(runId)).isEmpty();
    }

    @Test
    void createDatabaseWhoseEntityPortRefusesDropsTheDatabaseRoleAndCredentials() throws Exception {
        postgres();
        String name = "refused_" + suffix();
        port.refuseEntity(name);

        String runId = run("create_database", Map.of("name", name, "service", "payments-api"));

        assertThat(ended(runId)).isEqualTo("FAILURE");
        assertThat(summary(runId)).contains("Port answered 422").contains("removed the credentials, database, role");
        assertThat(exists("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")).isFalse();
        assertThat(exists("SELECT 1 FROM pg_roles WHERE rolname = '" + name + "'")).isFalse();
        assertThat(PortPocResource.secretDir().resolve(name + ".env")).doesNotExist();
    }

    // ---- run_migration ------------------------------------------------------------------------

    @Test
    void runMigrationAppliesEachVersionAndLogsIt() throws Exception {
        String database = "ledger_" + suffix();
        admin("postgres", "CREATE DATABASE " + database);

        String runId = run("run_migration", Map.of("database", database, "location", "ledger"));

        assertThat(ended(runId)).isEqualTo("SUCCESS");
        assertThat(port.logs(runId)).anyMatch(line -> line.startsWith("Applied version 1 (create accounts)"))
                .anyMatch(line -> line.startsWith("Applied version 2 (create entries)"));
        assertThat(summary(runId)).isEqualTo("Migrated " + database + " from an empty schema to version 2 (2 applied)");
        try (Connection connection = connect(database); ResultSet rows = connection.createStatement().executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            List<String> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
            assertThat(tables).containsExactly("accounts", "entries", "flyway_schema_history");
        }

        String again = run("run_migration", Map.of("database", database, "location", "ledger"));
        assertThat(ended(again)).isEqualTo("SUCCESS");
        assertThat(summary(again)).isEqualTo(database + " is up to date at version 2");
    }

    @Test
    void runMigrationFailsWithFlywaysMessage() throws Exception {
        String database = "broken_" + suffix();
        admin("postgres", "CREATE DATABASE " + database);

        String runId = run("run_migration", Map.of("database", database, "location", "broken"));

        assertThat(ended(runId)).isEqualTo("FAILURE");
        assertThat(summary(runId)).startsWith("Migrating " + database + " failed: ").contains("V2__misspelt.sql")
                .contains("syntax error");
        assertThat(port.logs(runId)).anyMatch(line -> line.startsWith("Flyway failed: "));
    }

    @Test
    void runMigrationFailsWhenTheLocationIsMissingSayingWhereItLooked() throws Exception {
        postgres();
        String runId = run("run_migration", Map.of("database", "ledger", "location", "nowhere"));

        assertThat(ended(runId)).isEqualTo("FAILURE");
        assertThat(summary(runId)).contains("No migrations at ").contains("nowhere")
                .contains("V1__create_tables.sql").contains("input 'location'");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Sends a run of {@code action} through the runs topic, as Port does; returns its id. */
    String run(String action, Map<String, String> inputs) {
        String runId = "r_" + suffix() + suffix();
        ObjectNode message = JSON.createObjectNode();
        message.putObject("context").put("runId", runId).put("blueprint", "service").putNull("entity");
        ObjectNode payload = message.putObject("payload");
        payload.putObject("action").put("identifier", action).putObject("invocationMethod").put("type", "KAFKA");
        payload.putNull("entity");
        ObjectNode properties = payload.putObject("properties");
        inputs.forEach(properties::put);
        message.putObject("trigger").putObject("by").putObject("user").put("email", "dana@example.com");
        KafkaBrokerResource.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(PortPocResource.RUNS_TOPIC, runId, message.toString()))
                .awaitCompletion(WITHIN);
        return runId;
    }

    String ended(String runId) {
        await().atMost(WITHIN).until(() -> port.terminalStatus(runId).isPresent());
        return port.terminalStatus(runId).orElseThrow();
    }

    String summary(String runId) {
        List<JsonNode> patches = port.patches(runId);
        return patches.get(patches.size() - 1).path("summary").asText();
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    static Path bareRepository(String name) throws Exception {
        Path bare = PortPocResource.remotes().resolve(name + ".git");
        Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
        return bare;
    }

    /** Pushes a commit of someone else's to {@code remote}'s main branch; returns it. */
    static ObjectId pushSomething(Path remote) throws Exception {
        Path clone = Files.createTempDirectory("berth-other-clone");
        try (Git git = Git.init().setDirectory(clone.toFile()).setInitialBranch("main").call()) {
            Files.writeString(clone.resolve("README.md"), "someone else's\n");
            git.add().addFilepattern(".").call();
            RevCommit commit = git.commit().setMessage("Existing work").setSign(false).setAuthor("Other", "o@example.com")
                    .setCommitter("Other", "o@example.com").call();
            git.push().setRemote(remote.toUri().toString()).add("main").call();
            return commit.getId();
        }
    }

    static String text(Repository repository, RevCommit commit, String path) throws IOException {
        return new String(bytes(repository, commit, path), StandardCharsets.UTF_8);
    }

    static byte[] bytes(Repository repository, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
            assertThat(walk).as(path + " in the commit").isNotNull();
            return repository.open(walk.getObjectId(0)).getBytes();
        }
    }

    static boolean executable(Repository repository, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
            return walk.getFileMode(0) == FileMode.EXECUTABLE_FILE;
        }
    }

    static List<Path> workingCopies() throws IOException {
        try (Stream<Path> entries = Files.list(PortPocResource.workDir())) {
            return entries.toList();
        }
    }

    /** The cluster: the test is skipped without PostgreSQL, unless CI=true, where the resource already failed. */
    static PostgresCluster postgres() {
        PostgresCluster postgres = PortPocResource.postgres();
        assumeTrue(postgres != null, "No PostgreSQL server under /usr/lib/postgresql: apt-get install -y postgresql");
        return postgres;
    }

    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(postgres().url(database), PostgresCluster.SUPERUSER, postgres().password());
    }

    static void admin(String database, String sql) throws SQLException {
        try (Connection connection = connect(database)) {
            connection.createStatement().execute(sql);
        }
    }

    static boolean exists(String query) throws SQLException {
        try (Connection connection = connect("postgres"); ResultSet rows = connection.createStatement().executeQuery(query)) {
            return rows.next();
        }
    }

    /** Reads the lifecycle event topics from now on. */
    static final class ConsumerEvents {
        static final Set<String> TOPICS = Set.of(PortPocResource.EVENTS_PREFIX + ".task.status",
                PortPocResource.EVENTS_PREFIX + ".task.completion");

        private final ConsumerTask<String, String> task = KafkaBrokerResource.companion().consumeStrings()
                .fromTopics(TOPICS);

        /** Every event value read until the completion event of {@code runId} arrived. */
        List<String> untilCompletionOf(String runId) {
            try {
                await().atMost(WITHIN).until(() -> task.getRecords().stream()
                        .anyMatch(r -> r.topic().endsWith(".task.completion") && r.value().contains(runId)));
                return task.getRecords().stream().map(ConsumerRecord::value).toList();
            } finally {
                task.stop();
            }
        }
    }
}
