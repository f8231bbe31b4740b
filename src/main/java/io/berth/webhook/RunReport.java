package io.berth.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What Berth reports to Port once the webhook answered (port-agent's {@code _prepare_report}).
 *
 * <p>Defaults, from the answer alone:
 * <pre>
 *   ok (below 400), synchronized     status SUCCESS
 *   ok, asynchronous                 no status: the called system finishes the run
 *   400 and above                    status FAILURE, summary "Failed to invoke the webhook with status code: N"
 * </pre>
 * Each field of the mapping's {@code report} then replaces its default with its jq evaluation on
 * {@code {body: message, request, response: {statusCode, headers, text, json}}}.
 *
 * @param status SUCCESS, FAILURE, or null for none
 */
record RunReport(String status, String summary, List<String> links, String externalRunId, String statusLabel) {

    static final String SUCCESS = "SUCCESS";
    static final String FAILURE = "FAILURE";

    private static final Logger LOG = Logger.getLogger(RunReport.class);

    RunReport {
        links = List.copyOf(links);
        if (status != null && !SUCCESS.equals(status) && !FAILURE.equals(status)) {
            throw new IllegalArgumentException("status must be SUCCESS, FAILURE or null, was " + status);
        }
    }

    static String failureSummary(int statusCode) {
        return "Failed to invoke the webhook with status code: " + statusCode;
    }

    static RunReport prepare(Mapping mapping, JsonNode message, WebhookRequest request, WebhookResponse response) {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        boolean sync = Truthiness.of(WebhookRequest.invocationMethod(message).get("synchronized"));
        String status = response.ok() ? (sync ? SUCCESS : null) : FAILURE;
        String summary = response.ok() ? null : failureSummary(response.statusCode());
        List<String> links = List.of();
        String externalRunId = null;
        String statusLabel = null;
        Optional<Mapping.Report> report = mapping.report();
        if (report.isPresent()) {
            ObjectNode context = JsonNodeFactory.instance.objectNode();
            context.set("body", message);
            context.set("request", request.toJson());
            context.set("response", response.toJson());
            Mapping.Report fields = report.get();
            if (fields.status().isPresent()) {
                status = status(fields.status().get().evaluate(context), fields.status().get());
            }
            if (fields.summary().isPresent()) {
                summary = text(fields.summary().get().evaluate(context));
            }
            if (fields.link().isPresent()) {
                links = links(fields.link().get().evaluate(context));
            }
            if (fields.externalRunId().isPresent()) {
                externalRunId = text(fields.externalRunId().get().evaluate(context));
            }
            if (fields.statusLabel().isPresent()) {
                statusLabel = text(fields.statusLabel().get().evaluate(context));
            }
        }
        return new RunReport(status, summary, links, externalRunId, statusLabel);
    }

    private static String status(JsonNode value, JqExpression expression) {
        if (value == null) {
            return null;
        }
        if (value.isTextual() && (SUCCESS.equals(value.textValue()) || FAILURE.equals(value.textValue()))) {
            return value.textValue();
        }
        // Port accepts only these two; anything else would be refused with the whole report.
        LOG.warnf("report.status must yield \"SUCCESS\" or \"FAILURE\", ignored (a %s); expression: %s",
                value.getNodeType().name().toLowerCase(), expression.text());
        return null;
    }

    private static List<String> links(JsonNode value) {
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            return List.of(text(value));
        }
        List<String> links = new ArrayList<>(value.size());
        for (JsonNode link : value) {
            if (!link.isNull()) {
                links.add(text(link));
            }
        }
        return links;
    }

    /** A string as itself, anything else as its compact JSON; null stays null. */
    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.textValue() : PythonJson.write(value, false);
    }
}
