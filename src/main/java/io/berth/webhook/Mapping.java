package io.berth.webhook;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of port-agent's mapping file (its pydantic {@code Mapping}). Each optional field, when
 * present, replaces port-agent's default for that part of the request or of the report.
 *
 * @param index the entry's 0-based position in the file
 * @param enabled a boolean, or a jq expression that must yield exactly {@code true}
 * @param kafka Berth's own: publish to Kafka instead of calling a webhook
 */
record Mapping(
        int index,
        Enabled enabled,
        Optional<Template> method,
        Optional<Template> url,
        Optional<Template> headers,
        Optional<Template> query,
        Optional<Template> body,
        Optional<Report> report,
        List<String> fieldsToDecryptPaths,
        Optional<KafkaTarget> kafka) {

    Mapping {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(report, "report");
        fieldsToDecryptPaths = List.copyOf(fieldsToDecryptPaths);
        Objects.requireNonNull(kafka, "kafka");
    }

    /** Whether this mapping claims {@code message}. */
    boolean appliesTo(JsonNode message) {
        return enabled.test(message);
    }

    /** port-agent's {@code enabled}: {@code true}, {@code false}, or jq that must yield {@code true}. */
    sealed interface Enabled {
        boolean test(JsonNode message);

        record Always(boolean value) implements Enabled {
            @Override
            public boolean test(JsonNode message) {
                return value;
            }
        }

        record When(JqExpression expression) implements Enabled {
            @Override
            public boolean test(JsonNode message) {
                // Exactly boolean true, as port-agent's "is True": a truthy string does not count.
                JsonNode result = expression.evaluate(message);
                return result != null && result.isBoolean() && result.booleanValue();
            }
        }
    }

    /**
     * The {@code report} object: each field is jq evaluated on
     * {@code {body, request, response}} after the webhook answered.
     */
    record Report(
            Optional<JqExpression> status,
            Optional<JqExpression> link,
            Optional<JqExpression> summary,
            Optional<JqExpression> externalRunId,
            Optional<JqExpression> statusLabel) {

        Report {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(externalRunId, "externalRunId");
            Objects.requireNonNull(statusLabel, "statusLabel");
        }
    }
}
