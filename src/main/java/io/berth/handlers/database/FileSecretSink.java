package io.berth.handlers.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Credentials as a file per database, {@code <dir>/<database>.env}: {@code KEY=value} lines, as
 * {@code docker --env-file} and {@code kubectl create secret generic --from-env-file} read them.
 * Created with mode 0600 from the start (written to a temporary file of that mode, then moved), so
 * there is no moment at which another user can read it.
 */
final class FileSecretSink implements SecretSink {

    private final Path dir;

    FileSecretSink(Path dir) {
        this.dir = dir;
    }

    @Override
    public String describe(String database) {
        return file(database).toString();
    }

    @Override
    public boolean exists(String database) {
        return Files.exists(file(database));
    }

    @Override
    public void store(String database, Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path temporary = Files.createTempFile(dir, "." + database, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file(database), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public void remove(String database) throws IOException {
        Files.deleteIfExists(file(database));
    }

    private Path file(String database) {
        return dir.resolve(database + ".env");
    }
}
