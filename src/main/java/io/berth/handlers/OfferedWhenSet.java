package io.berth.handlers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Offers the handler class it marks only while one of these configuration properties is set, e.g.
 * {@code @OfferedWhenSet("berth.scale.namespaces")} ({@code BERTH_SCALE_NAMESPACES}). Berth reads them
 * from the configuration before it makes the bean: while none is set, the handler is not offered
 * ({@code list} and the start-up log say "BERTH_SCALE_NAMESPACES is not set") and its bean, settings
 * check and whatever they would load are never made. Once one is set, the bean is made and asked
 * {@link ActionHandler#inactiveReason()} and {@link ActionHandler#settingsProblems()} as any other.
 * A handler without it is always made.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OfferedWhenSet {

    /** Configuration property names, dotted and lower-case ({@code berth.deploy.github.repository}). */
    String[] value();
}
