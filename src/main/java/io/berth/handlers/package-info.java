/**
 * How a run is handled: the handler interfaces users implement ({@link io.berth.handlers.ActionHandler},
 * {@link io.berth.handlers.BlockingActionHandler}), their result, and the registry that finds them
 * as CDI beans and refuses two handlers claiming one action. The registry decides whether a handler
 * marked {@link io.berth.handlers.OfferedWhenSet} is offered from the configuration alone, before it
 * makes its bean, so an unconfigured handler costs no instance, and no settings check. Every handler
 * it makes is asked {@code inactiveReason()} and {@code settingsProblems()} once at start-up.
 */
package io.berth.handlers;
