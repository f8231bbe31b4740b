/**
 * How a run is handled: the handler interfaces users implement ({@link io.berth.handlers.ActionHandler},
 * {@link io.berth.handlers.BlockingActionHandler}), their result, and the registry that finds them
 * as CDI beans and refuses two handlers claiming one action.
 */
package io.berth.handlers;
