package io.berth.handlers.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Stops start-up when {@code BERTH_SCALE_*} is set but cannot work; checks nothing while it is unset. */
final class ScaleSettingsCheck {

    /** A namespace name: an RFC 1123 label. */
    static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    static List<String> problems(ScaleSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.namespaces().isEmpty()) {
            return problems;
        }
        for (String namespace : settings.namespaces().get()) {
            if (!NAMESPACE.matcher(namespace.strip()).matches()) {
                problems.add("BERTH_SCALE_NAMESPACES holds '" + namespace + "', which is not a namespace name (lower-case "
                        + "letters, digits and '-', at most 63): set e.g. BERTH_SCALE_NAMESPACES=shop,staging");
            }
        }
        if (settings.maxReplicas() < 1) {
            problems.add("BERTH_SCALE_MAX_REPLICAS must be at least 1, was " + settings.maxReplicas()
                    + ": set e.g. BERTH_SCALE_MAX_REPLICAS=20");
        }
        if (settings.rolloutTimeout().isNegative() || settings.rolloutTimeout().isZero()) {
            problems.add("BERTH_SCALE_ROLLOUT_TIMEOUT must be longer than zero, was " + settings.rolloutTimeout()
                    + ": set e.g. BERTH_SCALE_ROLLOUT_TIMEOUT=5m");
        }
        if (settings.pollInterval().isNegative() || settings.pollInterval().isZero()) {
            problems.add("BERTH_SCALE_POLL_INTERVAL must be longer than zero, was " + settings.pollInterval()
                    + ": set e.g. BERTH_SCALE_POLL_INTERVAL=2s");
        }
        return problems;
    }
}
