package io.berth.bench;

import java.util.Map;
import java.util.OptionalInt;

/**
 * port-agent's Port calls for one run of each shape, counted from its source (not measured: port-agent
 * is not run here), for a webhook that answers 2xx with a body, as the bench's sink does:
 * {@code app/invokers/webhook_invoker.py} ({@code _invoke_run}, {@code _request},
 * {@code _report_run_response}) and {@code app/port_client.py} of port-labs/port-agent.
 *
 * <pre>
 *  log "An action message has been received", log "Preparing the payload for the request",
 *  log "Sending the request", log "Action invocation has completed successfully ..."      4 logs
 *  synchronized, answer has a body: log "Reporting the run response", PATCH …/response,
 *      log "The run response was reported successfully"                                 +3
 *  report dict not empty (synchronized: status SUCCESS; a report mapping's link,
 *      externalRunId, summary): one PATCH /v1/actions/runs/{id}                          +1
 *  log "Port agent finished processing the action run"                                   +1
 *  every one of these calls first fetches a token (get_port_api_headers): as many token calls again
 * </pre>
 */
final class PortAgentCalls {

    static final String SOURCE = "port-agent's source (port-labs/port-agent `app/invokers/webhook_invoker.py` "
            + "`_invoke_run` at commit 00c2054, `app/port_client.py` at 12f467e), counted for a webhook answering 2xx "
            + "with a body, not measured; token calls aside (port-agent fetches a token before each call, doubling "
            + "its figure)";

    private static final Map<String, Integer> BY_SHAPE = Map.of(
            "synchronized webhook", 9,
            "synchronized webhook, report with link and external id", 9,
            "asynchronous webhook", 5,
            "asynchronous webhook, report with link and external id", 6);

    private PortAgentCalls() {
    }

    /** port-agent's calls for one run of {@code shape} (a {@link RunShapes} name); empty when it has no such shape. */
    static OptionalInt perRun(String shape) {
        Integer calls = BY_SHAPE.get(shape);
        return calls == null ? OptionalInt.empty() : OptionalInt.of(calls);
    }
}
