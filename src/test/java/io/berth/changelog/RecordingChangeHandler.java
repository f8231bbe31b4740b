package io.berth.changelog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** A Java change handler of the change-log tests: keeps every event of a {@code service} entity. */
@ApplicationScoped
public class RecordingChangeHandler implements ChangeHandler {

    static final List<ChangeEvent> RECEIVED = new CopyOnWriteArrayList<>();

    @Override
    public ChangeSelector selects() {
        return ChangeSelector.entities("service");
    }

    @Override
    public Uni<Void> handle(ChangeEvent event) {
        RECEIVED.add(event);
        return Uni.createFrom().voidItem();
    }

    static List<ChangeEvent> of(String entity) {
        return RECEIVED.stream().filter(event -> event.entity().filter(entity::equals).isPresent()).toList();
    }
}
