package io.berth.tracing;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.MDC;

import io.berth.delivery.InboundRecord;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;

/**
 * What a log line about a record carries in the MDC: {@code topic}, {@code partition}, {@code offset}
 * and, once known, {@code runId} and {@code action}. JSON logs ({@code quarkus-logging-json}) print
 * the MDC as fields of each line.
 *
 * <p>Records are handled on shared Vert.x and worker threads, so the fields are set only for a
 * stretch of code ({@link #apply()} in a try-with-resources) and the previous values put back when it
 * ends: a field never outlives its record's code on a thread. Lines logged later, from callbacks on
 * other threads, carry the trace id instead (Quarkus puts {@code traceId} and {@code spanId} in the
 * MDC while a span is current) or name the record in their text, as every Berth line does.
 */
public final class RecordMdc {

    /** No field: for spans that add nothing to the log context. */
    public static final RecordMdc NONE = new RecordMdc(null, Map.of());

    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";
    public static final String RUN_ID = "runId";
    public static final String ACTION = "action";

    /** Whose topic, partition and offset; null for none. Its fields are written only when applied. */
    private final InboundRecord record;
    private final Map<String, String> run;

    private RecordMdc(InboundRecord record, Map<String, String> run) {
        this.record = record;
        this.run = run;
    }

    /**
     * The record's topic, partition and offset, as text only once {@link #apply()} sets them: most
     * records are handled where nothing is set (an event loop), and made into text for each they were
     * a map and two numbers' strings per record.
     */
    public static RecordMdc of(InboundRecord record) {
        return new RecordMdc(record, Map.of());
    }

    /** These fields and the run's id and action (either may be null: not set). */
    public RecordMdc withRun(String runId, String action) {
        Map<String, String> more = new LinkedHashMap<>(run);
        if (runId != null) {
            more.put(RUN_ID, runId);
        }
        if (action != null) {
            more.put(ACTION, action);
        }
        return new RecordMdc(record, more);
    }

    /**
     * Sets the fields until the scope is closed, which puts back what the thread had before. On a
     * Vert.x event loop outside any duplicated context (a Kafka callback, a permit released by an
     * answer) it sets nothing: Quarkus keeps the MDC of a Vert.x thread in the current duplicated
     * context and, finding none, makes a new one for each get, put and remove and drops it, so the
     * fields were never seen by a log line there, and each record paid for up to nine contexts and
     * their maps (12 % of a bridge record's allocation in the 2026-12-02 profile).
     */
    public Scope apply() {
        if ((record == null && run.isEmpty()) || onEventLoopWithoutDuplicatedContext()) {
            return Scope.noop();
        }
        // The record's three fields in locals (every record's case has no others); the run's, if any, in a map.
        Object topic = record == null ? null : MDC.put(TOPIC, record.topic());
        Object partition = record == null ? null : MDC.put(PARTITION, Integer.toString(record.partition()));
        Object offset = record == null ? null : MDC.put(OFFSET, Long.toString(record.offset()));
        Map<String, Object> runBefore = run.isEmpty() ? Map.of() : new LinkedHashMap<>();
        run.forEach((name, value) -> runBefore.put(name, MDC.put(name, value)));
        return () -> {
            if (record != null) {
                putBack(TOPIC, topic);
                putBack(PARTITION, partition);
                putBack(OFFSET, offset);
            }
            runBefore.forEach(RecordMdc::putBack);
        };
    }

    private static void putBack(String name, Object value) {
        if (value == null) {
            MDC.remove(name);
        } else {
            MDC.put(name, value);
        }
    }

    private static boolean onEventLoopWithoutDuplicatedContext() {
        io.vertx.core.Context context = Vertx.currentContext();
        return context != null && !VertxContext.isDuplicatedContext(context);
    }
}
