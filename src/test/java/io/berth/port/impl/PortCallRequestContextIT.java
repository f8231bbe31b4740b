package io.berth.port.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandIn;
import io.berth.testing.PortStandInResource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/**
 * Port calls leave no CDI request context behind. A run's reports go one after another, each sent
 * from the previous answer's callback: with a request context active there, the REST client looked
 * up the incoming server request's headers on every call (an exception thrown and caught each
 * time). The access token shared by every call is the one piece that outlives a caller, so it must
 * not carry the contexts of the call that fetched it (at start-up, a request context since ended).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class PortCallRequestContextIT {

    static final String RUN = "r_request_context";

    @Inject
    PortClient port;

    @Inject
    Vertx vertx;

    PortStandIn standIn;

    @Test
    void aPortCallMadeFromAnEarlierAnswersCallbackRunsWithoutARequestContext() throws Exception {
        fetchTheNextTokenWithinARequestContextThatThenEnds();

        List<Boolean> activeInCallbacks = new CopyOnWriteArrayList<>();
        onNewDuplicatedContext(() -> port.addRunLog(RUN, "first")
                .invoke(() -> activeInCallbacks.add(requestContextActive()))
                .chain(() -> port.addRunLog(RUN, "second"))
                .invoke(() -> activeInCallbacks.add(requestContextActive()))
                .chain(() -> port.patchRun(RUN, RunPatch.statusLabel("third")))
                .invoke(() -> activeInCallbacks.add(requestContextActive())));

        assertThat(activeInCallbacks).containsExactly(false, false, false);
        assertThat(standIn.logs(RUN)).containsExactly("first", "second");
    }

    /** As at start-up: the first call that needs a token is made while a request context is active. */
    private void fetchTheNextTokenWithinARequestContextThatThenEnds() throws Exception {
        standIn.revokeTokens();
        onNewDuplicatedContext(() -> {
            ManagedContext requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                // Subscribed (and the token fetch started) before the context ends, answered after.
                CompletableFuture<Void> sent = port.addRunLog(RUN, "token").subscribeAsCompletionStage();
                return Uni.createFrom().completionStage(sent);
            } finally {
                requestContext.terminate();
            }
        });
        standIn.reset();
    }

    private static boolean requestContextActive() {
        return Arc.container().requestContext().isActive();
    }

    private <T> void onNewDuplicatedContext(Supplier<Uni<T>> calls) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> calls.get()
                .subscribe().with(done::complete, done::completeExceptionally));
        done.get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
    }
}
