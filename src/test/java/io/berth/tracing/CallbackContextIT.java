package io.berth.tracing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.berth.testing.KafkaBrokerResource;
import io.berth.testing.PortStandInResource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

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
}
