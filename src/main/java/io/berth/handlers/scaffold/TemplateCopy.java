package io.berth.handlers.scaffold;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Map;

/**
 * Copies a template directory into a new working tree, replacing each placeholder ({@code
 * {{service_name}}}, {@code {{description}}}) in file and directory names and in text files. A file
 * that is not UTF-8 text (an image, a jar) is copied byte for byte; the template's own {@code .git}
 * is left out; executable bits are kept.
 */
final class TemplateCopy {

    private final Map<String, String> placeholders;
    private int files;

    TemplateCopy(Map<String, String> placeholders) {
        this.placeholders = Map.copyOf(placeholders);
    }

    /** Copies {@code template} into {@code target} (which must not exist); returns how many files it wrote. */
    int copy(Path template, Path target) throws IOException {
        files = 0;
        Files.walkFileTree(template, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (dir.getFileName() != null && dir.getFileName().toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(destination(template, dir, target));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    write(file, destination(template, file, target));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private Path destination(Path template, Path source, Path target) {
        Path destination = target;
        if (source.equals(template)) {
            return destination;
        }
        for (Path part : template.relativize(source)) {
            String name = substitute(part.toString());
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
                throw new IllegalArgumentException("Template path " + source + " becomes '" + name
                        + "' once its placeholders are replaced: rename it in the template");
            }
            destination = destination.resolve(name);
        }
        return destination;
    }

    private void write(Path source, Path destination) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        String text = utf8Text(bytes);
        Files.write(destination, text == null ? bytes : substitute(text).getBytes(StandardCharsets.UTF_8));
        PosixFileAttributeView from = Files.getFileAttributeView(source, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView to = Files.getFileAttributeView(destination, PosixFileAttributeView.class);
        if (from != null && to != null) {
            to.setPermissions(from.readAttributes().permissions());
        }
        files++;
    }

    private String substitute(String text) {
        String result = text;
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            result = result.replace(placeholder.getKey(), placeholder.getValue());
        }
        return result;
    }

    /** The text of {@code bytes} when they are UTF-8 without NUL characters; null for binary content. */
    private static String utf8Text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
