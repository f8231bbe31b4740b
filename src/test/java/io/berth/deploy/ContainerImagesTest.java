package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The images of {@code src/main/docker}, checked from their Dockerfiles (no container engine here):
 * non-root like port-agent's (uid 1000), no secret baked in, the small-container JVM options, the JDK
 * 25 AOT cache recorded at build time and used at start.
 */
class ContainerImagesTest {

    static final Path DOCKER = Path.of("src/main/docker");
    /** ENV or ARG names that would bake a credential into every layer and every `docker inspect`. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|CREDENTIAL).*");

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void runsAsUid1000NeverAsRoot(String name) throws Exception {
        Dockerfile file = Dockerfile.read(DOCKER.resolve(name));

        assertThat(file.runtimeUser()).isEqualTo("1000");
        assertThat(file.all("COPY")).allSatisfy(copy -> assertThat(copy).startsWith("--chown=1000:0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void bakesNoSecretIntoTheImage(String name) throws Exception {
        Dockerfile file = Dockerfile.read(DOCKER.resolve(name));

        List<String> declared = new java.util.ArrayList<>();
        file.all("ENV").forEach(env -> declared.add(env.split("[= ]", 2)[0]));
        file.all("ARG").forEach(arg -> declared.add(arg.split("=", 2)[0]));
        assertThat(declared).noneMatch(variable -> SECRET_NAME.matcher(variable).matches());
        assertThat(file.all("COPY")).noneMatch(copy -> copy.contains(".env") || copy.contains("secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void servesHttpOnQuarkussPortOnAllInterfaces(String name) throws Exception {
        Dockerfile file = Dockerfile.read(DOCKER.resolve(name));

        assertThat(file.all("EXPOSE")).containsExactly("8080");
        assertThat(String.join(" ", file.all("ENV")) + file.entrypoint()).contains("-Dquarkus.http.host=0.0.0.0");
    }

    @Test
    void theJvmImageShipsSmallContainerOptionsAndExitsOnOutOfMemory() throws Exception {
        Dockerfile file = Dockerfile.read(DOCKER.resolve("Dockerfile.jvm"));
        String options = String.join(" ", file.all("ENV"));

        assertThat(options).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
                .containsPattern("-Xmx\\d+m").containsPattern("-Xss\\d+k")
                .containsPattern("-XX:MaxDirectMemorySize=\\d+m").containsPattern("-XX:MaxMetaspaceSize=\\d+m");
        assertThat(file.entrypoint()).contains("$JAVA_OPTS");
    }

    @Test
    void theJvmImageRecordsItsAotCacheOnJdk25AndStartsWithIt() throws Exception {
        Dockerfile file = Dockerfile.read(DOCKER.resolve("Dockerfile.jvm"));

        assertThat(file.all("FROM")).singleElement().asString().contains(":25-");
        assertThat(file.all("RUN")).anySatisfy(run -> assertThat(run)
                .contains("-XX:AOTCacheOutput=/deployments/berth.aot", "quarkus-run.jar"));
        assertThat(file.entrypoint()).contains("-XX:AOTCache=/deployments/berth.aot");
        // The training run writes the cache as uid 1000, so the image never needs a root step after it.
        assertThat(file.instructions().indexOf(file.instructions().stream()
                .filter(i -> i.keyword().equals("USER")).findFirst().orElseThrow()))
                .isLessThan(file.instructions().indexOf(file.instructions().stream()
                        .filter(i -> i.keyword().equals("RUN")).findFirst().orElseThrow()));
    }

    @Test
    void theNativeImageIsOnTheMicroBase() throws Exception {
        Dockerfile file = Dockerfile.read(DOCKER.resolve("Dockerfile.native-micro"));

        assertThat(file.all("FROM")).singleElement().asString().startsWith("quay.io/quarkus/quarkus-micro-image:");
        assertThat(file.entrypoint()).contains("./application");
    }
}
