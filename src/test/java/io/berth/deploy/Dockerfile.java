package io.berth.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as its instructions: comments dropped, continuation lines joined. Enough to
 * check what an image is made of without a container engine.
 */
record Dockerfile(Path path, List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    static Dockerfile read(Path path) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(path)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT),
                    text.substring(space + 1).strip()));
        }
        return new Dockerfile(path, List.copyOf(instructions));
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The user the container runs as: the last USER instruction, or root when there is none. */
    String runtimeUser() {
        List<String> users = all("USER");
        return users.isEmpty() ? "root" : users.get(users.size() - 1);
    }

    /** The last ENTRYPOINT's arguments, or empty. */
    String entrypoint() {
        List<String> entrypoints = all("ENTRYPOINT");
        return entrypoints.isEmpty() ? "" : entrypoints.get(entrypoints.size() - 1);
    }
}
