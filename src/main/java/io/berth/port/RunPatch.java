package io.berth.port;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of {@code PATCH /v1/actions/runs/{runId}}: only the keys Port accepts, each optional.
 *
 * @param status SUCCESS or FAILURE (terminal), or null
 * @param link one link or several; null or empty for none
 */
public record RunPatch(String status, String statusLabel, List<String> link, String summary, String externalRunId) {

    /** No field at all. */
    public static final RunPatch NONE = new RunPatch(null, null, null, null, null);

    /** Port refuses request bodies over 1 MiB; no single text Berth sends needs to come near that. */
    static final int MAX_TEXT = 16_384;

    public static RunPatch terminal(String status, String summary) {
        return new RunPatch(status, null, null, summary, null);
    }

    public static RunPatch statusLabel(String label) {
        return new RunPatch(null, label, null, null, null);
    }

    public static RunPatch link(List<String> links) {
        return new RunPatch(null, null, List.copyOf(links), null, null);
    }

    public static RunPatch externalRunId(String id) {
        return new RunPatch(null, null, null, null, id);
    }

    /**
     * This patch with {@code later}'s fields over it: what Port holds after this PATCH and then
     * {@code later}'s, sent as one.
     */
    public RunPatch then(RunPatch later) {
        return new RunPatch(later.status != null ? later.status : status,
                later.statusLabel != null ? later.statusLabel : statusLabel,
                later.link != null && !later.link.isEmpty() ? later.link : link,
                later.summary != null ? later.summary : summary,
                later.externalRunId != null ? later.externalRunId : externalRunId);
    }

    /** Whether the patch carries no field. */
    public boolean isEmpty() {
        return status == null && statusLabel == null && (link == null || link.isEmpty()) && summary == null
                && externalRunId == null;
    }

    /** The fields it carries, by Port's names, for log lines: {@code "statusLabel, link"}. */
    public String fieldNames() {
        Iterable<String> names = () -> toJson().fieldNames();
        return String.join(", ", names);
    }

    public boolean isTerminal() {
        return status != null;
    }

    /** The JSON Port expects; a single link is sent as a string, several as a list. */
    public ObjectNode toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (status != null) {
            body.put("status", status);
        }
        if (statusLabel != null) {
            body.put("statusLabel", bounded(statusLabel));
        }
        if (link != null && !link.isEmpty()) {
            if (link.size() == 1) {
                body.put("link", link.get(0));
            } else {
                link.forEach(body.putArray("link")::add);
            }
        }
        if (summary != null) {
            body.put("summary", bounded(summary));
        }
        if (externalRunId != null) {
            body.put("externalRunId", externalRunId);
        }
        return body;
    }

    static String bounded(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "… (truncated)";
    }
}
