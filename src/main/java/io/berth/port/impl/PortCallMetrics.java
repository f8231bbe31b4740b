package io.berth.port.impl;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * Times each call to Port's API ({@code berth_port_requests_seconds{method,route,status}}). The
 * route is the client method's path template ({@code /v1/actions/runs/{runId}}), never the path
 * itself, so run ids never reach a label. A call that got no answer (connection refused or reset,
 * timed out) is timed too, with status {@value #TIMEOUT} or {@value #NO_ANSWER}: the REST client's
 * filters see answers only, so those are counted around the client ({@link #countingNoAnswers}).
 */
final class PortCallMetrics implements ClientRequestFilter, ClientResponseFilter {

    /** Set by the REST client on every request of a declarative client: the method's path template. */
    static final String PATH_TEMPLATE = "UrlPathTemplate";
    private static final String STARTED = PortCallMetrics.class.getName() + ".started";

    static final String TIMEOUT = "timeout";
    static final String NO_ANSWER = "none";

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    PortCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(ClientRequestContext request) throws IOException {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        Object started = request.getProperty(STARTED);
        if (!(started instanceof Long nanos)) {
            return;
        }
        Object template = request.getProperty(PATH_TEMPLATE);
        record(request.getMethod(), template instanceof String route ? route : "other",
                Integer.toString(response.getStatus()), System.nanoTime() - nanos);
    }

    private void record(String method, String route, String status, long nanos) {
        // Found once per label set (a builder's register() makes an id and looks it up each time); the
        // labels are bounded: the client's methods, and the statuses Port answers.
        timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Timer.builder("berth.port.requests")
                .description("Calls to Port's API, by route template and answer status (timeout, none: no answer)")
                .tag("method", method)
                .tag("route", route)
                .tag("status", status)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code api}, each call that fails (with the default exception mapper off, only a call that got
     * no answer does) timed from its subscription, with the method's HTTP method and path template.
     */
    PortApi countingNoAnswers(PortApi api) {
        String base = pathOf(PortApi.class);
        // Each method's verb and route, read once: annotations are copied at every reflective read.
        Map<Method, String[]> routes = new HashMap<>();
        for (Method method : PortApi.class.getMethods()) {
            String verb = verbOf(method);
            if (verb != null && method.getReturnType() == Uni.class) {
                routes.put(method, new String[] {verb, base + pathOf(method)});
            }
        }
        InvocationHandler counting = (proxy, method, args) -> {
            String[] timed = routes.get(method);
            if (timed == null) {
                return invoke(api, method, args);
            }
            String verb = timed[0];
            String route = timed[1];
            return Uni.createFrom().deferred(() -> {
                long started = System.nanoTime();
                return ((Uni<?>) invoke(api, method, args)).onFailure().invoke(failure ->
                        record(verb, route, timedOut(failure) ? TIMEOUT : NO_ANSWER, System.nanoTime() - started));
            });
        };
        return (PortApi) Proxy.newProxyInstance(PortApi.class.getClassLoader(), new Class<?>[] {PortApi.class}, counting);
    }

    /** What the client's method returns or throws (it declares no checked exception). */
    private static Object invoke(PortApi api, Method method, Object[] args) {
        try {
            return method.invoke(api, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String verbOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String pathOf(AnnotatedElement element) {
        Path path = element.getAnnotation(Path.class);
        return path == null ? "" : path.value();
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
