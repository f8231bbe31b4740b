package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JVM image's entry point run as a container engine runs it, with no engine: its exec-form
 * command line (the shell and its script) and the image's {@code JAVA_OPTS}, against the packaged
 * jar in place of {@code /deployments}. The container's arguments must reach the jar, so that
 * {@code docker run berth validate} validates instead of starting the service.
 */
class ContainerEntryPointJarIT {

    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    static final Path APP = Path.of("target", "quarkus-app").toAbsolutePath();

    @Test
    void anUnknownCommandGivenToTheImageReachesTheJarWhichRefusesIt() throws Exception {
        Ran ran = runImage(Map.of(), "bogus");

        assertThat(ran.exit()).as(ran.output()).isEqualTo(2);
        assertThat(ran.output()).contains("usage: java -jar quarkus-run.jar [validate | list]");
    }

    @Test
    void listGivenToTheImageListsWhatABridgeFileServes() throws Exception {
        Path bridge = Files.createDirectories(Path.of("target", "jar-it")).resolve("image-bridge.json").toAbsolutePath();
        Files.writeString(bridge, """
                {"kafka": {"brokers": ["127.0.0.1:9"],
                           "topics": [{"topic": "image.events", "url": "http://localhost:9/events"}],
                           "publish": ["image.audit"]}}
                """);

        Ran ran = runImage(Map.of("BERTH_BRIDGE_PATH", bridge.toString()), "list");

        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(ran.output()).containsPattern("bridge +image.events +POST http://localhost:9/events")
                .containsPattern("publish +image.audit");
    }

    record Ran(int exit, String output) {
    }

    /** The image's ENTRYPOINT with {@code arguments} after it, as {@code docker run berth <arguments>} runs it. */
    private static Ran runImage(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        Dockerfile image = Dockerfile.read(DOCKERFILE);
        List<String> command = new ArrayList<>();
        for (String part : new ObjectMapper().readValue(image.entrypoint(), String[].class)) {
            String local = part.replace("/deployments/", APP + "/");
            if (Runtime.version().feature() < 25) {
                local = local.replaceAll(" -XX:AOTCache=\\S+", ""); // the cache and its option are JDK 25's
            }
            command.add(local);
        }
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "jar-it")), "image-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PORT_") || name.startsWith("KAFKA_") || name.startsWith("BERTH_"));
        for (String declared : image.all("ENV")) {
            String[] nameAndValue = declared.split("=", 2);
            env.put(nameAndValue[0], nameAndValue[1].replaceAll("^\"|\"$", ""));
        }
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.putAll(environment);
        Process process = builder.start();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("the entry point ends (a command that never reaches the jar starts the service):%n%s",
                output).isTrue();
        return new Ran(process.exitValue(), output);
    }
}
