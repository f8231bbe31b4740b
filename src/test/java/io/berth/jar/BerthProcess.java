package io.berth.jar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The production jar ({@code target/quarkus-app/quarkus-run.jar}) as a child process, configured
 * only by environment variables, as users run it. Its output is kept for assertions and written
 * to {@code target/jar-it/<name>.log}.
 */
final class BerthProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final int httpPort;
    private final Thread reader;

    private BerthProcess(String name, Process process, int httpPort) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.reader = new Thread(this::pump, "berth-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static BerthProcess start(String name, Map<String, String> env) {
        return start(name, env, new String[0]);
    }

    /** @param args the jar's arguments, e.g. {@code validate} (none: the service) */
    static BerthProcess start(String name, Map<String, String> env, String... args) {
        String jar = System.getProperty("berth.jar", "target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " does not exist: run ./mvnw verify (package precedes this test)");
        }
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar);
        builder.command().addAll(java.util.List.of(args));
        builder.environment().keySet().removeIf(key -> key.startsWith("PORT_") || key.startsWith("KAFKA_")
                || key.startsWith("BERTH_") || key.startsWith("WEBHOOK_") || key.startsWith("CONTROL_THE_PAYLOAD"));
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().putAll(all);
        builder.redirectErrorStream(true);
        try {
            return new BerthProcess(name, builder.start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String output() {
        return output.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end and its last output to be read; its exit code, or null if it still runs. */
    Integer awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        reader.join(Duration.ofSeconds(5).toMillis());
        return process.exitValue();
    }

    /** Where its HTTP server listens, e.g. {@code http://localhost:40123}. */
    String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** True once {@code /q/health/ready} answers 200. */
    boolean ready() {
        return readinessStatus() == 200;
    }

    /** The status {@code /q/health/ready} answers, or -1 while nothing listens. */
    int readinessStatus() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: no shutdown hook, no commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful path, as Kubernetes stops a pod. */
    void terminate() {
        try {
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void pump() {
        Path log = Path.of("target", "jar-it", name + ".log");
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            Files.createDirectories(log.getParent());
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
