package io.berth.ops.lag;

import java.io.StringReader;
import java.util.Map;

import io.smallrye.health.api.HealthContentFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Writes {@link LagHealth}'s per-group entries as JSON objects, seed 003's
 * {@code {"lag": {"topic": {"partition-0": 50}}}}, rather than as the JSON text the check has to
 * hand over: SmallRye Health keeps only strings, numbers and booleans of a check's data (it drops
 * anything else), but passes every health response through the {@link HealthContentFilter}s before
 * writing it. Converting the check's own text (rather than reading the monitor again here) keeps the
 * data and the check's status from the same measurement.
 */
@ApplicationScoped
final class LagHealthContent implements HealthContentFilter {

    @Override
    public JsonObject filter(JsonObject payload) {
        if (!(payload.get("checks") instanceof jakarta.json.JsonArray checks)) {
            return payload;
        }
        JsonArrayBuilder rewritten = Json.createArrayBuilder();
        boolean changed = false;
        for (JsonValue check : checks) {
            if (check instanceof JsonObject object && LagHealth.NAME.equals(object.getString("name", null))
                    && object.get("data") instanceof JsonObject data) {
                rewritten.add(Json.createObjectBuilder(object).add("data", nested(data)));
                changed = true;
            } else {
                rewritten.add(check);
            }
        }
        return changed ? Json.createObjectBuilder(payload).add("checks", rewritten).build() : payload;
    }

    /** Each group's JSON text as the object it spells; {@code measuredAt} and anything else as it is. */
    private static JsonObjectBuilder nested(JsonObject data) {
        JsonObjectBuilder nested = Json.createObjectBuilder();
        for (Map.Entry<String, JsonValue> entry : data.entrySet()) {
            nested.add(entry.getKey(), entry.getValue() instanceof JsonString text && text.getString().startsWith("{")
                    ? parse(text.getString())
                    : entry.getValue());
        }
        return nested;
    }

    private static JsonValue parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
