package io.berth.changelog.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.changelog.ChangeAction;
import io.berth.changelog.ChangeEvent;
import io.berth.changelog.ChangeSelector;
import io.berth.delivery.InboundRecord;
import io.berth.delivery.UnusableRecord;

class ChangeEventParserTest {

    static final String AGENT = "\"changelogDestination\": {\"type\": \"WEBHOOK\", \"agent\": true, \"url\": \"https://hooks.example/c\"}";

    final ChangeEventParser parser = new ChangeEventParser(new ObjectMapper(), 4096);

    @Test
    void readsAnEntityUpdateWithItsDiff() {
        ChangeEvent event = parse("""
                {"action": "UPDATE", "resourceType": "entity", "context": {"entity": "checkout", "blueprint": "service"},
                 "diff": {"before": {"properties": {"replicas": 2}}, "after": {"properties": {"replicas": 4}}}, %s}
                """.formatted(AGENT));

        assertThat(event.action()).isEqualTo(ChangeAction.UPDATE);
        assertThat(event.resourceType()).isEqualTo("entity");
        assertThat(event.blueprint()).contains("service");
        assertThat(event.entity()).contains("checkout");
        assertThat(event.runId()).isEmpty();
        assertThat(event.before().orElseThrow().at("/properties/replicas").asInt()).isEqualTo(2);
        assertThat(event.after().orElseThrow().at("/properties/replicas").asInt()).isEqualTo(4);
        assertThat(event.id()).isEqualTo("org.change.log-1-7");
        assertThat(event.describe()).isEqualTo("UPDATE entity service/checkout");
    }

    @Test
    void aDeleteHasNoAfterAndATimerNoDiff() {
        ChangeEvent delete = parse("""
                {"action": "DELETE", "resourceType": "entity", "context": {"entity": "e", "blueprint": "b"},
                 "diff": {"before": {"identifier": "e"}, "after": null}, %s}""".formatted(AGENT));
        ChangeEvent timer = parse("""
                {"action": "TIMER_EXPIRED", "resourceType": "entity", "trigger": {"by": {"byPort": true}},
                 "context": {"entityIdentifier": "e", "blueprintIdentifier": "b"}, %s}""".formatted(AGENT));

        assertThat(delete.before()).isPresent();
        assertThat(delete.after()).isEmpty();
        assertThat(timer.before()).isEmpty();
        assertThat(timer.after()).isEmpty();
        assertThat(timer.blueprint()).contains("b");
        assertThat(timer.entity()).contains("e");
    }

    @Test
    void anEventNotAddressedToAnAgentIsNotParsedFurther() {
        // Not even a known action: another destination's event is never dead-lettered for its shape.
        assertThat(parser.parse(record("{\"action\": 1, \"changelogDestination\": {\"type\": \"KAFKA\"}}"))).isEmpty();
        assertThat(parser.parse(record("{\"changelogDestination\": {\"agent\": \"true\"}}"))).isEmpty();
        assertThat(parser.parse(record("{\"changelogDestination\": null}"))).isEmpty();
    }

    @Test
    void takesTheEventsIdWhenItIsSafeAsAHeaderAndTheRecordsCoordinatesOtherwise() {
        String shape = "{\"id\": %s, \"action\": \"CREATE\", \"resourceType\": \"entity\", " + AGENT + "}";

        assertThat(parse(shape.formatted("\"evt_1\"")).id()).isEqualTo("evt_1");
        assertThat(parse(shape.formatted("\"evt\\r\\nX-Injected: 1\"")).id()).isEqualTo("org.change.log-1-7");
    }

    @Test
    void refusesAnAgentsEventItCannotDeliverWithTheReason() {
        assertThat(reason("{\"action\": \"RENAME\", \"resourceType\": \"entity\", " + AGENT + "}"))
                .isEqualTo("change event without a known action (CREATE, UPDATE, DELETE or TIMER_EXPIRED)");
        assertThat(reason("{\"action\": \"CREATE\", " + AGENT + "}")).isEqualTo("change event without a resourceType");
        assertThat(reason("{\"action\": \"CREATE\", \"resourceType\": \"entity\", \"diff\": [1], " + AGENT + "}"))
                .isEqualTo("change event whose diff is array, not an object");
        assertThat(reason("{\"action\": \"CREATE\", \"resourceType\": \"run\", \"context\": {\"runId\": \"../x\"}, "
                + AGENT + "}")).startsWith("change event with an unusable context.runId of 4 characters");
        assertThat(reason("[1]")).isEqualTo("a change event must be a JSON object, found array");
        assertThat(reason("")).isEqualTo("empty record: no change event");
    }

    @Test
    void aSelectorMatchesResourceTypeBlueprintAndAction() {
        ChangeEvent update = parse("{\"action\": \"UPDATE\", \"resourceType\": \"entity\", "
                + "\"context\": {\"blueprint\": \"service\", \"entity\": \"e\"}, " + AGENT + "}");

        assertThat(ChangeSelector.entities("service").matches(update)).isTrue();
        assertThat(ChangeSelector.entities("service", ChangeAction.UPDATE).matches(update)).isTrue();
        assertThat(ChangeSelector.entities("service", ChangeAction.DELETE).matches(update)).isFalse();
        assertThat(ChangeSelector.entities("cluster").matches(update)).isFalse();
        assertThat(ChangeSelector.resources("entity").matches(update)).isTrue();
        assertThat(ChangeSelector.resources("run").matches(update)).isFalse();
    }

    ChangeEvent parse(String json) {
        return parser.parse(record(json)).orElseThrow();
    }

    String reason(String json) {
        try {
            parser.parse(record(json));
        } catch (UnusableRecord unusable) {
            return unusable.reason();
        }
        throw new AssertionError("parsed: " + json);
    }

    static InboundRecord record(String json) {
        return new InboundRecord("org.change.log", 1, 7, null, json.getBytes(StandardCharsets.UTF_8),
                () -> CompletableFuture.completedFuture(null));
    }
}
