package io.berth.webhook;

import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * {@code $ENV} reading the environment given here rather than the process's, so tests can set it,
 * and only what {@link MappingEnvironment} lets each expression see.
 *
 * <p>The built-in functions are loaded once; each expression gets a child scope holding its
 * {@code env}, and each evaluation runs in a child of that.
 */
public final class Jq {

    static final Version VERSION = Versions.JQ_1_6;

    private final Scope root;
    private final MappingEnvironment environment;

    /** jq over the process environment; computed names are readable as {@code allow} says. */
    public static Jq withSystemEnvironment(List<String> allow) {
        return new Jq(System.getenv(), allow);
    }

    /** @param environment what {@code env} and {@code $ENV} may show; copied. Computed names: the default allow-list */
    public Jq(Map<String, String> environment) {
        this(environment, MappingEnvironment.DEFAULT_ALLOW);
    }

    /**
     * @param environment what {@code env} and {@code $ENV} may show; copied
     * @param allow {@code BERTH_MAPPING_ENV_ALLOW}: which names computed from a run may be read
     */
    public Jq(Map<String, String> environment, List<String> allow) {
        this.environment = new MappingEnvironment(environment, allow);
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(VERSION, scope);
        // jq's own env reads the process: replaced everywhere, and per expression in compile().
        exposeEnvironment(scope, JsonNodeFactory.instance.objectNode());
        this.root = scope;
    }

    private static void exposeEnvironment(Scope scope, ObjectNode env) {
        scope.addFunction("env", 0, (fnScope, args, in, path, output, version) -> output.emit(env.deepCopy(), null));
        scope.setValue("ENV", env);
    }

    /**
     * Compiles an expression once, at load time.
     *
     * @throws JsonQueryException when the expression is not valid jq
     */
    JqExpression compile(String expression) throws JsonQueryException {
        Objects.requireNonNull(expression, "expression");
        JsonQuery query = JsonQuery.compile(expression, VERSION);
        Scope scope = Scope.newChildScope(root);
        exposeEnvironment(scope, environment.visibleTo(expression));
        return new JqExpression(expression, query, scope);
    }

    /** Evaluates an expression compiled on the spot; for tests and one-off use. */
    JsonNode evaluate(String expression, JsonNode input) throws JsonQueryException {
        return compile(expression).evaluate(input);
    }
}
