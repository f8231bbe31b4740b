package io.berth.webhook;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * An exchange or an attempt, ended once: by its answer, a failure or a cancellation (which answers
 * nothing); what comes after is ignored. {@link #ending} releases what it holds (a request to reset,
 * a timer to stop) on the ending's thread, before the answer is passed on.
 */
abstract class AnsweredOnce {

    private final BiConsumer<WebhookResponse, Throwable> done;
    private final AtomicBoolean answered = new AtomicBoolean();

    AnsweredOnce(BiConsumer<WebhookResponse, Throwable> done) {
        this.done = done;
    }

    /** @param answer null when it failed or was cancelled */
    abstract void ending(WebhookResponse answer);

    final boolean answered() {
        return answered.get();
    }

    final void complete(WebhookResponse answer) {
        if (answered.compareAndSet(false, true)) {
            ending(answer);
            done.accept(answer, null);
        }
    }

    final void fail(Throwable failure) {
        if (answered.compareAndSet(false, true)) {
            ending(null);
            done.accept(null, failure);
        }
    }

    final void cancel() {
        if (answered.compareAndSet(false, true)) {
            ending(null);
        }
    }
}
