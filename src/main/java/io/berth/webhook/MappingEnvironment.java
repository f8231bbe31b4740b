package io.berth.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What {@code env} and {@code $ENV} show a mapping expression: never the whole environment, so
 * that a run cannot choose which variable a mapping reads.
 *
 * <ul>
 *   <li>a name the expression writes literally ({@code env.DEPLOYER_TOKEN}, {@code $ENV["X"]}) is
 *       the mapping author's choice: readable;
 *   <li>a name computed from the run (port-agent's GitLab mapping reads
 *       {@code env[group + "_" + project]}) is readable only when it matches
 *       {@code BERTH_MAPPING_ENV_ALLOW} (names, or patterns with a leading or trailing {@code *});
 *   <li>{@code PORT_*}, {@code KAFKA_*}, {@code BERTH_*} and Quarkus settings holding a password,
 *       secret or token are Berth's own secrets: never readable, whatever the mapping or the list says.
 * </ul>
 *
 * A lookup that is refused yields null, and a WARN names the rule that refused it (never the value,
 * and never a name the run chose).
 */
final class MappingEnvironment {

    /** What BERTH_MAPPING_ENV_ALLOW is when it is not set. */
    static final List<String> DEFAULT_ALLOW = List.of("*_GITLAB_TOKEN");

    static final String REFUSED_RULE = "PORT_*, KAFKA_*, BERTH_*, QUARKUS_*{PASSWORD,SECRET,TOKEN,CREDENTIAL}*";

    private static final Logger LOG = Logger.getLogger(MappingEnvironment.class);

    private static final List<String> REFUSED_PREFIXES = List.of("PORT_", "KAFKA_", "BERTH_");
    private static final List<String> QUARKUS_SECRET_WORDS = List.of("PASSWORD", "SECRET", "TOKEN", "CREDENTIAL");

    /** {@code env.NAME}, {@code env."NAME"}, {@code env["NAME"]}, {@code env.["NAME"]}, and the same with {@code $ENV}. */
    private static final Pattern LITERAL = Pattern.compile(
            "(?:\\benv|\\$ENV)\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\.?\\s*\\[\\s*\"([^\"\\\\]+)\"\\s*]|\\.\\s*\"([^\"\\\\]+)\")");

    private final Map<String, String> variables;
    private final List<String> allow;

    /**
     * @param variables the process environment (copied)
     * @param allow the names or {@code *} patterns a computed name may match
     */
    MappingEnvironment(Map<String, String> variables, List<String> allow) {
        this.variables = new TreeMap<>(Objects.requireNonNull(variables, "variables"));
        this.allow = allow.stream().map(String::trim).filter(entry -> !entry.isEmpty()).toList();
    }

    /** True for the variables no mapping may ever read. */
    static boolean refused(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return REFUSED_PREFIXES.stream().anyMatch(upper::startsWith)
                || upper.startsWith("QUARKUS_") && QUARKUS_SECRET_WORDS.stream().anyMatch(upper::contains);
    }

    boolean allowed(String name) {
        return !refused(name) && allow.stream().anyMatch(pattern -> matches(pattern, name));
    }

    private static boolean matches(String pattern, String name) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.length() > 1 && pattern.startsWith("*")) {
            return name.endsWith(pattern.substring(1));
        }
        if (pattern.length() > 1 && pattern.endsWith("*")) {
            return name.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return name.equals(pattern);
    }

    /** The names {@code expression} writes literally. */
    static Set<String> literalNames(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = LITERAL.matcher(expression);
        while (matcher.find()) {
            for (int group = 1; group <= 3; group++) {
                if (matcher.group(group) != null) {
                    names.add(matcher.group(group));
                }
            }
        }
        return names;
    }

    /** The {@code env} object of one expression; warns now about a literal name that is refused. */
    ObjectNode visibleTo(String expression) {
        Map<String, JsonNode> visible = new LinkedHashMap<>();
        Set<String> literal = literalNames(expression);
        for (String name : literal) {
            if (refused(name)) {
                LOG.warnf("A mapping expression reads env.%s, which mappings may never read (%s): it yields null. "
                        + "Expression: %s", name, REFUSED_RULE, expression);
            }
        }
        variables.forEach((name, value) -> {
            if (!refused(name) && (literal.contains(name) || allowed(name))) {
                visible.put(name, TextNode.valueOf(value));
            }
        });
        return new Restricted(visible, this);
    }

    private void warnRefused(String name) {
        if (refused(name)) {
            LOG.warnf("A mapping looked up an environment variable that mappings may never read (%s): it yields null",
                    REFUSED_RULE);
        } else if (variables.containsKey(name)) {
            LOG.warnf("A mapping looked up an environment variable under a name computed from the run that "
                    + "BERTH_MAPPING_ENV_ALLOW (%s) does not allow: it yields null. Add the name or a pattern "
                    + "to BERTH_MAPPING_ENV_ALLOW, or write the name literally in the mapping", String.join(",", allow));
        }
    }

    /** An {@code env} object that says why a lookup of a name it does not hold found nothing. */
    private static final class Restricted extends ObjectNode {

        private static final long serialVersionUID = 1L;

        private final transient MappingEnvironment environment;

        Restricted(Map<String, JsonNode> visible, MappingEnvironment environment) {
            super(JsonNodeFactory.instance, new LinkedHashMap<>(visible));
            this.environment = environment;
        }

        @Override
        public JsonNode get(String name) {
            JsonNode value = super.get(name);
            if (value == null && name != null) {
                environment.warnRefused(name);
            }
            return value;
        }

        @Override
        public ObjectNode deepCopy() {
            Map<String, JsonNode> copy = new LinkedHashMap<>();
            properties().forEach(entry -> copy.put(entry.getKey(), entry.getValue().deepCopy()));
            return new Restricted(copy, environment);
        }
    }
}
