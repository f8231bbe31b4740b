package io.berth.handlers;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether a handler class is offered, from its {@link OfferedWhenSet} and the configuration alone:
 * decided before its bean is made, so that an unconfigured handler costs no bean.
 */
final class HandlerOffer {

    private HandlerOffer() {
    }

    /**
     * Why {@code handlerClass} is not offered, or empty when its bean must be made: it has no
     * {@link OfferedWhenSet}, or one of the properties it names is {@code set}.
     */
    static Optional<String> notOffered(Class<?> handlerClass, Predicate<String> set) {
        OfferedWhenSet offered = handlerClass.getAnnotation(OfferedWhenSet.class);
        if (offered == null || List.of(offered.value()).stream().anyMatch(set)) {
            return Optional.empty();
        }
        List<String> variables = List.of(offered.value()).stream().map(HandlerOffer::variable).toList();
        return Optional.of(switch (variables.size()) {
            case 1 -> variables.get(0) + " is not set";
            case 2 -> variables.get(0) + " and " + variables.get(1) + " are not set";
            default -> "none of " + String.join(", ", variables) + " is set";
        });
    }

    /** The environment variable of a property, as MicroProfile Config maps them: {@code berth.scale.namespaces} → {@code BERTH_SCALE_NAMESPACES}. */
    static String variable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
