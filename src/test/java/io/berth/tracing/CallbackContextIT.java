package io.berth.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import io.berth.delivery.InboundRecord;
import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandInResource;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/**
 * No thread context travels with a Mutiny callback (application.properties,
 * {@code mp.context.ThreadContext.unchanged}). A CDI request context active where a pipeline was
 * assembled is not active where its callbacks run: it once reached every Port call made from an
 * earlier answer's callback, and the REST client then looked for server headers with an exception
 * per call.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PortStandInResource.class, restrictToAnnotatedClass = false)
class CallbackContextIT {

    @Test
    void aRequestContextActiveWhereAPipelineIsBuiltIsNotActiveInItsCallbacksOnAnotherThread() throws Exception {
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        ManagedContext requests = Arc.container().requestContext();
        requests.activate();
        try {
            assertTrue(requests.isActive());
            Uni<Boolean> activeInCallback = Uni.createFrom().item("answer").emitOn(elsewhere)
                    .map(answer -> Arc.container().requestContext().isActive());
            assertFalse(activeInCallback.await().atMost(Duration.ofSeconds(10)),
                    "the request context was carried into a callback on another thread");
        } finally {
            requests.terminate();
            elsewhere.shutdownNow();
        }
    }

    @Test
    void callbacksAreCalledWithoutAContextWrapper() {
        Executor direct = Runnable::run;
        String wrappers = Uni.createFrom().item("x").emitOn(direct).map(item -> StackWalker.getInstance()
                .walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                        .filter(name -> name.startsWith("io.smallrye.context.") || name.startsWith("io.smallrye.mutiny.context."))
                        .distinct().toList().toString()))
                .await().atMost(Duration.ofSeconds(10));
        assertTrue(wrappers.equals("[]"), "the callback was called through " + wrappers);
    }

    @Inject
    Vertx vertx;

    /**
     * Quarkus keeps a Vert.x thread's MDC in its duplicated context: on an event loop outside one, a
     * field put is gone before the next line (each MDC call makes and drops a context of its own), so
     * {@link RecordMdc} sets nothing there; inside one, the record's fields are what log lines see.
     */
    @Test
    void aRecordsMdcFieldsAreSeenInADuplicatedContextAndNotSetWhereTheyWouldBeLost() throws Exception {
        InboundRecord record = new InboundRecord("orders", 2, 41, null, new byte[0], () -> null);
        Context root = vertx.getOrCreateContext();
        CompletableFuture<String> lostOnRoot = new CompletableFuture<>();
        root.runOnContext(ignored -> {
            MDC.put("probe", "set");
            lostOnRoot.complete(String.valueOf(MDC.get("probe")));
            MDC.remove("probe");
        });
        assertEquals("null", lostOnRoot.get(10, TimeUnit.SECONDS), "Quarkus kept an MDC field on a root context");

        CompletableFuture<String> seen = new CompletableFuture<>();
        VertxContext.createNewDuplicatedContext(root).runOnContext(ignored -> {
            try (Scope fields = RecordMdc.of(record).apply()) {
                seen.complete(MDC.get(RecordMdc.TOPIC) + "[" + MDC.get(RecordMdc.PARTITION) + "]@"
                        + MDC.get(RecordMdc.OFFSET));
            }
        });
        assertEquals("orders[2]@41", seen.get(10, TimeUnit.SECONDS));
    }

}
