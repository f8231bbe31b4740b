package io.berth.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Every Kubernetes object of a set of YAML files (multi-document), with lookups by kind and name. */
record Manifests(List<Manifest> all) {

    static final YAMLMapper YAML = new YAMLMapper();

    /** One object and the file it came from. */
    record Manifest(Path file, JsonNode object) {
        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            return object.at("/metadata/name").asText();
        }
    }

    /** Every document of every {@code .yaml} file under {@code directory}, kustomization files aside. */
    static Manifests under(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> yamlFiles = files.filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> !file.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
            List<Manifest> manifests = new ArrayList<>();
            for (Path file : yamlFiles) {
                manifests.addAll(parse(file, Files.readString(file)));
            }
            return new Manifests(List.copyOf(manifests));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of YAML text (empty documents skipped). */
    static List<Manifest> parse(Path file, String text) throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    manifests.add(new Manifest(file, document));
                }
            }
        }
        return manifests;
    }

    Manifests plus(Manifests other) {
        List<Manifest> both = new ArrayList<>(all);
        both.addAll(other.all);
        return new Manifests(both);
    }

    List<Manifest> ofKind(String kind) {
        return all.stream().filter(manifest -> manifest.kind().equals(kind)).toList();
    }

    Optional<Manifest> find(String kind, String name) {
        return all.stream().filter(manifest -> manifest.kind().equals(kind) && manifest.name().equals(name)).findFirst();
    }

    Manifest one(String kind) {
        List<Manifest> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }
}
