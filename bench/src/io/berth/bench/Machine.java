package io.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** What the figures came from: host, cores, memory, CPU, kernel, JDKs, commit. */
final class Machine {

    private Machine() {
    }

    static void describe(Map<String, String> into) {
        into.put("date", LocalDate.now().toString());
        into.put("host", command("hostname"));
        into.put("cores (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
        into.put("memory", procLine("/proc/meminfo", "MemTotal:").replaceAll("\\s+", " "));
        into.put("cpu", procLine("/proc/cpuinfo", "model name").replaceFirst(".*?:\\s*", ""));
        into.put("kernel", read("/proc/sys/kernel/osrelease"));
        into.put("JDK 17 (Berth)", command(Bench.berthJvm().java(), "-version"));
        into.put("JDK 25", command("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java", "-version"));
        into.put("harness JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        into.put("Berth commit", command("git", "rev-parse", "--short", "HEAD") + (command("git", "status", "--porcelain",
                "--", "src", "pom.xml").isEmpty() ? "" : " (with uncommitted changes)"));
    }

    static String host() {
        return command("hostname");
    }

    private static String procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(prefix.length()).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The first line a command prints (stdout and stderr), or "not found". */
    static String command(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            int newline = out.indexOf('\n');
            return newline < 0 ? out : out.substring(0, newline);
        } catch (IOException e) {
            return "not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
