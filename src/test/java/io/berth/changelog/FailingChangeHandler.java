package io.berth.changelog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Fails every UPDATE of a {@code flaky} entity, counting the attempts per entity. */
@ApplicationScoped
public class FailingChangeHandler implements ChangeHandler {

    static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    @Override
    public ChangeSelector selects() {
        return ChangeSelector.entities("flaky", ChangeAction.UPDATE);
    }

    @Override
    public Uni<Void> handle(ChangeEvent event) {
        ATTEMPTS.computeIfAbsent(event.entity().orElse(""), entity -> new AtomicInteger()).incrementAndGet();
        return Uni.createFrom().failure(new IllegalStateException("the inventory service is down"));
    }

    static int attempts(String entity) {
        AtomicInteger attempts = ATTEMPTS.get(entity);
        return attempts == null ? 0 : attempts.get();
    }
}
