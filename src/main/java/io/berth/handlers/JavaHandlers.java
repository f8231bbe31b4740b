package io.berth.handlers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.berth.config.BerthSettings;
import io.berth.config.StartupRefusals;
import io.berth.runs.RunContext;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * The Java handlers of this application, by action identifier. Built once at start-up from every
 * {@link ActionHandler} and {@link BlockingActionHandler} bean; two handlers claiming one action
 * stop start-up with both names. A handler marked {@link OfferedWhenSet} whose properties are all
 * unset is not offered without its bean being made; every other bean is made and asked
 * {@code inactiveReason()} and {@code settingsProblems()}.
 */
@ApplicationScoped
public final class JavaHandlers {

    private static final Logger LOG = Logger.getLogger(JavaHandlers.class);

    private final Map<String, RunRoute> byAction;
    private final Map<String, String> inactive;
    private final List<String> settingsProblems;

    @Inject
    JavaHandlers(Instance<ActionHandler> reactive, Instance<BlockingActionHandler> blocking, BerthSettings settings) {
        this(candidates(reactive), candidates(blocking), settings.runs().handlerTimeout(), JavaHandlers::isSet);
    }

    /** Handlers made already, none marked {@link OfferedWhenSet} as set. */
    JavaHandlers(Iterable<ActionHandler> reactive, Iterable<BlockingActionHandler> blocking, Duration defaultTimeout) {
        this(made(reactive), made(blocking), defaultTimeout, property -> false);
    }

    /** @param set whether a configuration property is set, for {@link OfferedWhenSet} */
    JavaHandlers(List<Candidate<ActionHandler>> reactive, List<Candidate<BlockingActionHandler>> blocking,
            Duration defaultTimeout, Predicate<String> set) {
        Map<String, RunRoute> routes = new HashMap<>();
        Map<String, String> owners = new TreeMap<>();
        Map<String, String> inactive = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Candidate<ActionHandler> candidate : reactive) {
            ActionHandler handler = candidate.makeIfOffered(set, inactive);
            if (handler == null) {
                continue;
            }
            problems.addAll(handler.settingsProblems());
            if (isInactive(handler.inactiveReason(), nameOf(handler), inactive)) {
                continue;
            }
            RunRoute route = new ReactiveRoute(handler, handler.timeout().orElse(defaultTimeout));
            handler.actions().forEach(action -> register(routes, owners, action, route));
        }
        for (Candidate<BlockingActionHandler> candidate : blocking) {
            BlockingActionHandler handler = candidate.makeIfOffered(set, inactive);
            if (handler == null) {
                continue;
            }
            problems.addAll(handler.settingsProblems());
            if (isInactive(handler.inactiveReason(), nameOf(handler), inactive)) {
                continue;
            }
            RunRoute route = new BlockingRoute(handler, handler.timeout().orElse(defaultTimeout));
            handler.actions().forEach(action -> register(routes, owners, action, route));
        }
        this.byAction = Map.copyOf(routes);
        this.inactive = Map.copyOf(inactive);
        this.settingsProblems = List.copyOf(problems);
        if (!owners.isEmpty()) {
            LOG.infof("Java handlers: %s", owners);
        }
        inactive.forEach((handler, reason) -> LOG.infof("Java handler %s is not offered: %s", handler, reason));
    }

    /**
     * Makes the handlers at start-up, with the other settings checks and before any consumer starts:
     * a handler's settings problem (and two handlers claiming one action) stop Berth, or are listed by
     * {@code validate}.
     */
    static void checkAtStartup(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            JavaHandlers handlers) {
        StartupRefusals.refuse(handlers.settingsProblems());
    }

    /** What the handlers made said about their settings ({@link ActionHandler#settingsProblems()}). */
    List<String> settingsProblems() {
        return settingsProblems;
    }

    private static boolean isSet(String property) {
        return ConfigProvider.getConfig().getOptionalValue(property, String.class).isPresent();
    }

    private static <H> List<Candidate<H>> candidates(Instance<H> beans) {
        List<Candidate<H>> candidates = new ArrayList<>();
        for (Instance.Handle<H> handle : beans.handles()) { // a handle makes no bean until get()
            candidates.add(new Candidate<>(handle.getBean().getBeanClass(), handle::get));
        }
        return candidates;
    }

    private static <H> List<Candidate<H>> made(Iterable<H> handlers) {
        List<Candidate<H>> candidates = new ArrayList<>();
        handlers.forEach(handler -> candidates.add(new Candidate<>(handler.getClass(), () -> handler)));
        return candidates;
    }

    /** A handler bean, not made yet: its class tells whether it is offered ({@link OfferedWhenSet}). */
    record Candidate<H>(Class<?> type, Supplier<H> bean) {

        /** The handler, or null (its reason in {@code inactive}) when its class says it is not offered. */
        H makeIfOffered(Predicate<String> set, Map<String, String> inactive) {
            Optional<String> reason = HandlerOffer.notOffered(type, set);
            reason.ifPresent(why -> inactive.put("java:" + type.getSimpleName(), why));
            return reason.isPresent() ? null : bean.get();
        }
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
