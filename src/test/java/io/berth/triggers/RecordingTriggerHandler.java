package io.berth.triggers;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The Java target of the triggers tests: keeps every envelope it is given. */
@ApplicationScoped
public class RecordingTriggerHandler implements TriggerHandler {

    static final List<TriggerEnvelope> RECEIVED = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public Uni<Void> handle(TriggerEnvelope envelope) {
        RECEIVED.add(envelope);
        return Uni.createFrom().voidItem();
    }
}
