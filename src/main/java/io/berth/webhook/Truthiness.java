package io.berth.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Python's truth value of a parsed JSON value, which port-agent's {@code if} tests use: null,
 * false, 0, "" and empty containers are false.
 */
final class Truthiness {

    private Truthiness() {
    }

    static boolean of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? value.bigIntegerValue().signum() != 0 : value.doubleValue() != 0.0;
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        return value.size() > 0;
    }
}
