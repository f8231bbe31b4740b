package io.berth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.thisptr.jackson.jq.exception.JsonQueryException;

/** The jq features port-agent's default mappings rely on. */
class JqTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jq jq = new Jq(Map.of("GITLAB_URL", "https://git.example.com/", "my-group_sub_svc", "tok"),
            List.of("my-group_*"));

    private JsonNode eval(String expression, String input) throws Exception {
        return jq.evaluate(expression, JSON.readTree(input));
    }

    @Test
    void readsTheGivenEnvironment() throws Exception {
        assertEquals("https://git.example.com/", eval("env.GITLAB_URL", "{}").textValue());
        assertEquals("tok", eval("env[(\"my-group/sub\" | gsub(\"/\"; \"_\")) + \"_svc\"]", "{}").textValue());
        assertEquals("tok", eval("$ENV[\"my-group_sub_svc\"]", "{}").textValue());
        assertNull(eval("env.ABSENT", "{}"));
    }

    @Test
    void supportsTheFunctionsOfTheDefaultMappings() throws Exception {
        assertEquals("a_b_c", eval("\"a/b/c\" | gsub(\"/\"; \"_\")", "{}").textValue());
        assertEquals("group%2Fproject%20x", eval("\"group/project x\" | @uri", "{}").textValue());
        assertEquals("{\"a\":\"1\",\"b\":\"x\",\"c\":\"true\"}",
                eval(". | to_entries | map({(.key): (.value | tostring)}) | add", "{\"a\":1,\"b\":\"x\",\"c\":true}")
                        .toString());
        assertEquals("main", eval(".ref // .defaultRef // \"main\"", "{\"ref\":null}").textValue());
    }

    @Test
    void yieldsTheFirstOutput() throws Exception {
        assertEquals(1, eval(".[]", "[1,2,3]").intValue());
        assertNull(eval("empty", "{}"));
    }

    @Test
    void yieldsNullOnARuntimeError() throws Exception {
        assertNull(eval(".a + 1", "{\"a\":\"text\"}"));
        assertNull(eval("error(\"boom\")", "{}"));
    }

    @Test
    void refusesAnExpressionThatDoesNotCompile() {
        assertThrows(JsonQueryException.class, () -> jq.compile(".payload | ((("));
    }
}
