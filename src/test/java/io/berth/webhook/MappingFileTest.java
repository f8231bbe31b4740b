package io.berth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingFileTest {

    private final Jq jq = new Jq(Map.of());

    @TempDir
    Path dir;

    private InvalidMappingFileException invalid(String content) throws Exception {
        Path file = dir.resolve("mappings.json");
        Files.writeString(file, content);
        return assertThrows(InvalidMappingFileException.class, () -> MappingFile.load(file, jq));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "\"" + e.getMessage() + "\" should mention " + part);
        }
    }

    @Test
    void loadsPortAgentsDefaultMappings() throws Exception {
        Path file = dir.resolve("control.json");
        Files.writeString(file, Examples.resource("control-the-payload.json"));

        MappingFile mappings = MappingFile.load(file, jq);

        assertEquals(3, mappings.mappings().size());
        assertTrue(mappings.mappings().get(1).report().isPresent());
    }

    @Test
    void readsFieldsToDecryptPaths() {
        MappingFile mappings = MappingFile.parse("[{\"fieldsToDecryptPaths\": [\"payload.properties.pw\"]}]",
                "f.json", jq);

        assertEquals(List.of("payload.properties.pw"), mappings.mappings().get(0).fieldsToDecryptPaths());
    }

    @Test
    void namesTheFileWhenItIsMissing() {
        Path missing = dir.resolve("absent.json");
        InvalidMappingFileException e = assertThrows(InvalidMappingFileException.class,
                () -> MappingFile.load(missing, jq));
        assertMentions(e, missing.toString(), "not found");
    }

    @Test
    void rejectsBadJsonWithItsPosition() throws Exception {
        assertMentions(invalid("[{\"enabled\": true,}]"), "mappings.json", "not valid JSON", "line 1");
    }

    @Test
    void rejectsADocumentThatIsNotAnArray() throws Exception {
        assertMentions(invalid("{\"enabled\": true}"), "mappings.json", "JSON array");
    }

    @Test
    void namesTheEntryAndFieldOfJqThatDoesNotCompile() throws Exception {
        assertMentions(invalid("[{\"enabled\": true}, {\"body\": {\"a\": {\"b\": \".x | (((\"}}}]"),
                "mappings.json", "entry [1]", "body.a.b", "jq does not compile");
        assertMentions(invalid("[{\"enabled\": \".x ==\"}]"), "entry [0]", "\"enabled\"");
        assertMentions(invalid("[{\"report\": {\"link\": \"[\"}}]"), "entry [0]", "report.link");
    }

    @Test
    void rejectsFieldsOfTheWrongType() throws Exception {
        assertMentions(invalid("[{\"enabled\": 1}]"), "entry [0]", "enabled", "boolean or a jq string");
        assertMentions(invalid("[{\"url\": 42}]"), "entry [0]", "url", "jq string");
        assertMentions(invalid("[{}, {\"headers\": [\"a\"]}]"), "entry [1]", "headers");
        assertMentions(invalid("[{\"report\": \"x\"}]"), "report", "must be an object");
        assertMentions(invalid("[{\"fieldsToDecryptPaths\": \"a.b\"}]"), "fieldsToDecryptPaths");
        assertMentions(invalid("[3]"), "entry [0]", "must be an object");
    }

    @Test
    void refusesAnUnknownKeyNamingTheEntryTheKeyAndTheKeyItMeant() throws Exception {
        InvalidMappingFileException e = invalid("[{\"enabled\": true},"
                + " {\"enabled\": true, \"urll\": \".payload.properties.url\"}]");

        assertEquals("Mapping file " + dir.resolve("mappings.json") + ", entry [1], field \"urll\": unknown key,"
                + " did you mean \"url\"? (known: enabled, method, url, headers, query, body, report,"
                + " fieldsToDecryptPaths, kafka)", e.getMessage());
    }

    @Test
    void refusesAnUnknownReportKeyAndOneTooFarFromAnyToSuggest() throws Exception {
        assertMentions(invalid("[{\"report\": {\"stauts\": \"\\\"SUCCESS\\\"\"}}]"), "entry [0]",
                "field \"report.stauts\": unknown key, did you mean \"report.status\"?");
        InvalidMappingFileException far = invalid("[{\"description\": \"deploys\"}]");
        assertMentions(far, "entry [0]", "field \"description\": unknown key (known: ");
        assertTrue(!far.getMessage().contains("did you mean"), far.getMessage());
    }

    @Test
    void acceptsEveryKeyPortAgentAccepts() {
        MappingFile mappings = MappingFile.parse("[{\"enabled\": true, \"method\": \"\\\"PUT\\\"\","
                + " \"url\": \"\\\"http://x\\\"\", \"headers\": {}, \"query\": {}, \"body\": {},"
                + " \"fieldsToDecryptPaths\": [], \"report\": {\"status\": null, \"link\": null,"
                + " \"summary\": null, \"externalRunId\": null, \"statusLabel\": null}}]", "f.json", jq);

        assertEquals(1, mappings.mappings().size());
    }
}
