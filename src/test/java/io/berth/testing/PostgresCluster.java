package io.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's server binaries ({@code /usr/lib/postgresql/N/bin},
 * package {@code postgresql}): {@code initdb} with a superuser and SCRAM password authentication,
 * {@code pg_ctl start} on a free loopback port, {@code pg_ctl stop} and removal on {@link #close()}.
 *
 * <p>PostgreSQL refuses to run as root: as root (CI), the commands run as the {@code postgres} user
 * that Debian's package creates ({@code runuser -u postgres}), in a directory under the temp directory
 * owned by that user (the build directory may be under a home that user cannot enter); otherwise under
 * {@code target/}.
 */
public final class PostgresCluster implements AutoCloseable {

    public static final String SUPERUSER = "berth_admin";
    private static final Path DEBIAN_SERVERS = Path.of("/usr/lib/postgresql");

    private final Path base;
    private final Path data;
    private final Path bin;
    private final boolean asPostgres;
    private final int port;
    private final String password;

    private PostgresCluster(Path base, Path bin, boolean asPostgres, int port, String password) {
        this.base = base;
        this.data = base.resolve("data");
        this.bin = bin;
        this.asPostgres = asPostgres;
        this.port = port;
        this.password = password;
    }

    /** The newest installed server's {@code bin} directory, if any. */
    public static Optional<Path> binaries() {
        if (!Files.isDirectory(DEBIAN_SERVERS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_SERVERS)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(bin -> major(bin.getParent().getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int major(String version) {
        return version.matches("\\d+") ? Integer.parseInt(version) : -1;
    }

    /** Initialises and starts a cluster with the newest installed server; fails when there is none. */
    public static PostgresCluster start(Path buildDir) throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("No PostgreSQL server under " + DEBIAN_SERVERS
                + ": install Debian's package (apt-get install -y postgresql), as .ci/run does"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base;
        if (root) {
            base = Files.createTempDirectory("berth-postgres-");
            UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(base, postgres);
        } else {
            Files.createDirectories(buildDir);
            base = Files.createTempDirectory(buildDir, "postgres-");
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        PostgresCluster cluster = new PostgresCluster(base, bin, root, freePort(), HexFormat.of().formatHex(random));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-cluster-stop"));
        cluster.initialise();
        cluster.run("pg_ctl", "-D", cluster.data.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + cluster.port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + base, "start");
        return cluster;
    }

    private void initialise() throws IOException, InterruptedException {
        Path passwordFile = base.resolve("superuser-password");
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        if (asPostgres) {
            Files.setOwner(passwordFile, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
        run("initdb", "-D", data.toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile, "--auth=scram-sha-256",
                "--encoding=UTF8", "--no-locale", "--no-sync");
    }

    private void run(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("berth-postgres-" + program, ".log");
        try {
            Process process = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The JDBC URL of {@code database} on this cluster. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** The superuser's password ({@link #SUPERUSER}). */
    public String password() {
        return password;
    }

    /** Stops the server (fast shutdown) and removes its files; safe to call twice. */
    @Override
    public synchronized void close() {
        if (!Files.exists(data)) {
            return;
        }
        try {
            run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        } catch (IOException | RuntimeException e) {
            // Already stopped, or stopping failed: remove the files all the same.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Best effort: the temp directory is cleaned by the OS in the end.
        }
    }
}
