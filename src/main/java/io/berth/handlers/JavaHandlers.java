package io.berth.handlers;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.jboss.logging.Logger;

import io.berth.config.BerthSettings;
import io.berth.runs.RunContext;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The Java handlers of this application, by action identifier. Built once at start-up from every
 * {@link ActionHandler} and {@link BlockingActionHandler} bean; two handlers claiming one action
 * stop start-up with both names.
 */
@ApplicationScoped
@Startup // two handlers claiming one action stop start-up, not the first run
public final class JavaHandlers {

    private static final Logger LOG = Logger.getLogger(JavaHandlers.class);

    private final Map<String, RunRoute> byAction;
    private final Map<String, String> inactive;

    @Inject
    JavaHandlers(Instance<ActionHandler> reactive, Instance<BlockingActionHandler> blocking, BerthSettings settings) {
        this(reactive, blocking, settings.runs().handlerTimeout());
    }

    JavaHandlers(Iterable<ActionHandler> reactive, Iterable<BlockingActionHandler> blocking, Duration defaultTimeout) {
        Map<String, RunRoute> routes = new HashMap<>();
        Map<String, String> owners = new TreeMap<>();
        Map<String, String> inactive = new TreeMap<>();
        for (ActionHandler handler : reactive) {
            if (isInactive(handler.inactiveReason(), nameOf(handler), inactive)) {
                continue;
            }
            RunRoute route = new ReactiveRoute(handler, handler.timeout().orElse(defaultTimeout));
            handler.actions().forEach(action -> register(routes, owners, action, route));
        }
        for (BlockingActionHandler handler : blocking) {
            if (isInactive(handler.inactiveReason(), nameOf(handler), inactive)) {
                continue;
            }
            RunRoute route = new BlockingRoute(handler, handler.timeout().orElse(defaultTimeout));
            handler.actions().forEach(action -> register(routes, owners, action, route));
        }
        this.byAction = Map.copyOf(routes);
        this.inactive = Map.copyOf(inactive);
        if (!owners.isEmpty()) {
            LOG.infof("Java handlers: %s", owners);
        }
        inactive.forEach((handler, reason) -> LOG.infof("Java handler %s is not offered: %s", handler, reason));
    }

    private static boolean isInactive(Optional<String> reason, String handler, Map<String, String> inactive) {
        reason.ifPresent(why -> inactive.put(handler, why));
        return reason.isPresent();
    }

    private static void register(Map<String, RunRoute> routes, Map<String, String> owners, String action,
            RunRoute route) {
        RunRoute previous = routes.putIfAbsent(action, route);
        if (previous != null) {
            throw new IllegalStateException("Action '" + action + "' is claimed by two handlers, " + previous.name()
                    + " and " + route.name() + ": remove it from the actions() of one of them");
        }
        owners.put(action, route.name());
    }

    /** The Java handler serving {@code action}, if any. */
    public Optional<RunRoute> route(String action) {
        return Optional.ofNullable(byAction.get(action));
    }

    /** Every action a Java handler serves, with the handler's name. */
    public Map<String, String> actions() {
        Map<String, String> actions = new TreeMap<>();
        byAction.forEach((action, route) -> actions.put(action, route.name()));
        return actions;
    }

    /** The handlers that are not offered, by name, with the reason each gave. */
    public Map<String, String> inactive() {
        return new TreeMap<>(inactive);
    }

    private static String nameOf(Object bean) {
        return "java:" + ClientProxy.unwrap(bean).getClass().getSimpleName();
    }

    private record ReactiveRoute(ActionHandler handler, Duration timeout) implements RunRoute {
        @Override
        public String name() {
            return nameOf(handler);
        }

        @Override
        public Uni<RunResult> run(RunContext run) {
            return Uni.createFrom().deferred(() -> handler.handle(run))
                    .ifNoItem().after(timeout).failWith(() -> new HandlerTimeoutException(name(), timeout));
        }
    }

    /**
     * Runs the handler on the worker pool: the event loop never waits for it. A handler that outlives
     * its timeout is interrupted, so that it does not go on deploying after Port was told FAILURE
     * (a handler that ignores interruption still holds its thread until it returns).
     */
    private record BlockingRoute(BlockingActionHandler handler, Duration timeout) implements RunRoute {
        @Override
        public String name() {
            return nameOf(handler);
        }

        @Override
        public Uni<RunResult> run(RunContext run) {
            return Uni.createFrom().deferred(() -> {
                CompletableFuture<RunResult> result = new CompletableFuture<>();
                Future<?> task = Infrastructure.getDefaultWorkerPool().submit(() -> {
                    try {
                        RunResult outcome = handler.handle(run);
                        result.complete(outcome == null ? RunResult.success() : outcome);
                    } catch (Throwable failure) {
                        result.completeExceptionally(failure);
                    }
                });
                return Uni.createFrom().completionStage(result)
                        .ifNoItem().after(timeout).failWith(() -> new HandlerTimeoutException(name(), timeout))
                        .onFailure(HandlerTimeoutException.class).invoke(() -> task.cancel(true))
                        .onCancellation().invoke(() -> task.cancel(true));
            });
        }
    }

    /** A handler that did not end within {@code berth.runs.handler-timeout}. */
    public static final class HandlerTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerTimeoutException(String handler, Duration timeout) {
            super(handler + " did not finish within " + timeout.toMillis() + " ms");
        }
    }
}
