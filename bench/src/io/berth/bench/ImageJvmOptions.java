package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options the container image ships: {@code JAVA_OPTS} of src/main/docker/Dockerfile.jvm,
 * read from the file each run so that the bench's memory figures never drift from the image
 * (issue 12 §2). Continuation lines ({@code \} at a line's end) are joined as Docker joins them.
 */
final class ImageJvmOptions {

    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    /** The image's JVM: Temurin 25, as the Dockerfile's FROM says; JDK 17 stands in when it is missing. */
    static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private static final Pattern JAVA_OPTS = Pattern.compile("ENV\\s+JAVA_OPTS=\"([^\"]*)\"");

    private ImageJvmOptions() {
    }

    static List<String> read() {
        try {
            return parse(Files.readString(DOCKERFILE));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + DOCKERFILE + " for the image's JAVA_OPTS", e);
        }
    }

    static List<String> parse(String dockerfile) {
        Matcher options = JAVA_OPTS.matcher(dockerfile.replaceAll("\\\\\\r?\\n", " "));
        if (!options.find() || options.group(1).isBlank()) {
            throw new IllegalStateException(DOCKERFILE + " sets no ENV JAVA_OPTS=\"…\": the bench cannot start Berth "
                    + "with the image's JVM options");
        }
        return List.of(options.group(1).trim().split("\\s+"));
    }

    /** The image's java when this machine has it, else JDK 17 (the report says which). */
    static BerthProcess.Jvm jvm() {
        return Files.isExecutable(Path.of(JDK25)) ? new BerthProcess.Jvm("JDK 25", JDK25, List.of()) : Bench.berthJvm();
    }
}
