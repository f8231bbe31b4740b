package io.berth.triggers.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.triggers.InvalidTriggersFile;
import io.berth.triggers.TriggerEnvelope;
import io.berth.triggers.TriggerHandler;
import io.smallrye.mutiny.Uni;

class TriggerHandlersTest {

    record Named(String name) implements TriggerHandler {
        @Override
        public Uni<Void> handle(TriggerEnvelope envelope) {
            return Uni.createFrom().voidItem();
        }
    }

    static final class Other implements TriggerHandler {
        @Override
        public String name() {
            return "audit";
        }

        @Override
        public Uni<Void> handle(TriggerEnvelope envelope) {
            return Uni.createFrom().voidItem();
        }
    }

    @Test
    void selectsTheOneHandlerWithTheName() {
        Named audit = new Named("audit");
        assertThat(new TriggerHandlers(List.of(audit, new Named("billing"))).named("audit", "entry #0")).isSameAs(audit);
    }

    @Test
    void anUnknownNameNamesTheEntryAndTheKnownHandlers() {
        assertThatThrownBy(() -> new TriggerHandlers(List.of(new Named("audit"))).named("audti", "entry #2 (id 'x')"))
                .isInstanceOf(InvalidTriggersFile.class)
                .hasMessageContaining("entry #2 (id 'x'): target.handler 'audti' is the name of no TriggerHandler bean "
                        + "(known: [audit])");
    }

    @Test
    void aNameSharedBySeveralBeansIsAmbiguous() {
        assertThatThrownBy(() -> new TriggerHandlers(List.of(new Named("audit"), new Other())).named("audit", "entry #0"))
                .isInstanceOf(InvalidTriggersFile.class)
                .hasMessageContaining("target.handler 'audit' is ambiguous")
                .hasMessageContaining(Other.class.getName())
                .hasMessageContaining("give each TriggerHandler a distinct name()");
    }
}
