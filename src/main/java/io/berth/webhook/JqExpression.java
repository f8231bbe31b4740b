package io.berth.webhook;

import java.util.Objects;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * One compiled jq expression of a mapping file. Evaluates as pyjq's {@code jq.first} does in
 * port-agent: the first output, null when there is none, and null with a warning when jq fails.
 */
final class JqExpression {

    private static final Logger LOG = Logger.getLogger(JqExpression.class);

    private final String text;
    private final JsonQuery query;
    private final Scope scope;

    /** @param scope the expression's own scope: jq's built-ins and the {@code env} it may see */
    JqExpression(String text, JsonQuery query, Scope scope) {
        this.text = Objects.requireNonNull(text, "text");
        this.query = Objects.requireNonNull(query, "query");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /** The first output on {@code input}; null when jq yields nothing, null, or fails. */
    JsonNode evaluate(JsonNode input) {
        JsonNode[] first = new JsonNode[1];
        boolean[] emitted = new boolean[1];
        try {
            query.apply(Scope.newChildScope(scope), input, out -> {
                if (!emitted[0]) {
                    emitted[0] = true;
                    first[0] = out;
                }
            });
        } catch (JsonQueryException | RuntimeException e) {
            // pyjq stops at the first output, so an error raised after it was never seen there.
            if (!emitted[0]) {
                // The expression is the user's configuration, fine to log; the message may quote
                // values of the run (a decrypted input, say), so only its type is logged.
                LOG.warnf("jq error (%s) in expression: %s", e.getClass().getSimpleName(), text);
                return null;
            }
        }
        return first[0] == null || first[0].isNull() || first[0].isMissingNode() ? null : first[0];
    }

    String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
