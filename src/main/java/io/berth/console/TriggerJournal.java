package io.berth.console;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.delivery.InboundRecord;
import io.berth.delivery.RecordOutcome;
import io.berth.triggers.TriggerDefinition;
import io.berth.triggers.TriggerOutcome;
import io.berth.triggers.TriggerRecordListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The records each trigger fired recently, as the console shows them: per trigger the last
 * {@code BERTH_CONSOLE_RECENT_TRIGGER_RECORDS} (the oldest forgotten first), each with its
 * coordinates, key, outcome and, for a dead letter, the reason. Told only of trigger records
 * ({@link TriggerRecordListener}): the runs are {@link RunJournal}'s.
 */
@ApplicationScoped
public final class TriggerJournal implements TriggerRecordListener {

    static final int MAX_TEXT = 500;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final int capacity;
    private final Map<String, Deque<ObjectNode>> recent = new HashMap<>();

    @Inject
    TriggerJournal(ConsoleSettings settings) {
        this(settings.recentTriggerRecords());
    }

    TriggerJournal(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    @Override
    public void onOutcome(TriggerDefinition trigger, InboundRecord record, RecordOutcome outcome) {
        ObjectNode entry = JSON.objectNode().put("partition", record.partition()).put("offset", record.offset())
                .put("key", bounded(record.key())).put("outcome", outcome.label()).put("at", Instant.now().toString());
        if (outcome instanceof TriggerOutcome.Fired fired) {
            entry.put("detail", bounded(fired.detail()));
        } else if (outcome instanceof RecordOutcome.DeadLettered dead) {
            entry.put("reason", bounded(dead.reason())).put("deadLetterTopic", trigger.deadLetterTopic());
        } else if (outcome instanceof RecordOutcome.DeadLetterFailed failed) {
            entry.put("reason", bounded(failed.reason()));
        } else if (outcome instanceof RecordOutcome.Abandoned abandoned) {
            entry.put("reason", bounded(abandoned.reason()));
        }
        synchronized (this) {
            Deque<ObjectNode> records = recent.computeIfAbsent(trigger.id(), id -> new ArrayDeque<>());
            if (records.size() >= capacity) {
                records.removeLast();
            }
            records.addFirst(entry);
        }
    }

    /** The trigger's recent records, newest first. */
    public synchronized List<ObjectNode> recent(String triggerId) {
        List<ObjectNode> copies = new ArrayList<>();
        recent.getOrDefault(triggerId, new ArrayDeque<>()).forEach(entry -> copies.add(entry.deepCopy()));
        return copies;
    }

    /** Keys and reasons come from records and targets: bounded, so one record cannot fill the page. */
    private static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "… (truncated)";
    }
}
