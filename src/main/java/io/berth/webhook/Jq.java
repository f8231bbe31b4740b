package io.berth.webhook;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * The jq dialect of port-agent's mapping files: jq 1.6 (what pyjq embeds) with {@code env} and
 * {@code $ENV} reading the environment given here rather than the process's, so tests can set it.
 *
 * <p>The built-in functions are loaded once; each evaluation runs in a child scope of this one.
 */
public final class Jq {

    static final Version VERSION = Versions.JQ_1_6;

    private final Scope root;

    /** jq over the process environment. */
    public static Jq withSystemEnvironment() {
        return new Jq(System.getenv());
    }

    /** @param environment what {@code env} and {@code $ENV} return; copied */
    public Jq(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        // Sorted: the order of env's keys must not depend on a HashMap.
        new TreeMap<>(environment).forEach(env::put);
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(VERSION, scope);
        scope.addFunction("env", 0, (fnScope, args, in, path, output, version) -> output.emit(env.deepCopy(), null));
        scope.setValue("ENV", env);
        this.root = scope;
    }

    /**
     * Compiles an expression once, at load time.
     *
     * @throws JsonQueryException when the expression is not valid jq
     */
    JqExpression compile(String expression) throws JsonQueryException {
        Objects.requireNonNull(expression, "expression");
        return new JqExpression(expression, JsonQuery.compile(expression, VERSION), this);
    }

    Scope newScope() {
        return Scope.newChildScope(root);
    }

    /** Evaluates an expression compiled on the spot; for tests and one-off use. */
    JsonNode evaluate(String expression, JsonNode input) throws JsonQueryException {
        return compile(expression).evaluate(input);
    }
}
