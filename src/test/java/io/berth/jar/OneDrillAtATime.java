package io.berth.jar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes the replica drills ({@link RebalanceJarIT}, {@link ScaleOutJarIT}) take turns across
 * failsafe's forks. The jar tests run in two forks side by side; each drill keeps three jars busy
 * and judges them by the clock (progress within a bound, a replica joining before the runs run
 * out), so two drills at once on two cores would each be judged under the other's load. Any other
 * jar test may run beside a drill.
 *
 * <p>An operating-system lock on {@code target/jar-it/drills.lock}, held from the drill's
 * {@code @BeforeAll} to its {@code @AfterAll}; the forks are separate JVMs, so the lock is theirs to
 * share, and it is released if a fork dies.
 */
final class OneDrillAtATime implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private OneDrillAtATime(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits until no other fork runs a drill, and holds the turn until {@link #close()}. */
    static OneDrillAtATime take() {
        try {
            Path file = Files.createDirectories(Path.of("target", "jar-it")).resolve("drills.lock");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new OneDrillAtATime(channel, channel.lock());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
