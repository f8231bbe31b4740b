package io.berth.command;

import java.util.List;

/**
 * What one capability (runs, mapping file, triggers, bridge, Port, ...) is configured to do, as
 * {@code validate} and {@code list} show it. A capability implements it as a CDI bean next to its
 * own loaders, so that the commands read its settings and files exactly as its start-up does.
 *
 * <p>Called once per command, after start-up, with nothing consuming. Nothing here may print or
 * return a secret.
 */
public interface CapabilityReport {

    /** Where its checks come in {@code validate}'s output: settings first, network checks last. */
    int order();

    /** Its checks: settings and files, and any call it alone can make (Port's token, a registry). */
    default List<Check> checks() {
        return List.of();
    }

    /** The topics it would consume or write; {@code validate} checks each exists (an empty list when its checks failed). */
    default List<TopicUse> topics() {
        return List.of();
    }

    /** What it would serve, for {@code list}. */
    default List<Served> served() {
        return List.of();
    }
}
