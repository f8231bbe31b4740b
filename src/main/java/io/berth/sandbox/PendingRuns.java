package io.berth.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Port's side of the polling streamer, for the stand-ins of Port (the dev sandbox and the tests'
 * WireMock stand-in): runs waiting for an agent, handed out by {@code claim-pending} and removed by
 * {@code ack}. A claimed run is invisible to every other claim until its visibility timeout has
 * passed; if it was not acknowledged by then, it is handed out again (to whoever claims first).
 *
 * <pre>
 *   add ─► pending ──claim──► invisible until now + visibility ──ack──► gone
 *             ▲                     │ timeout passed, not acked
 *             └─────────────────────┘
 * </pre>
 *
 * Not thread-safe: its owner guards it, as it guards the rest of its state.
 */
public final class PendingRuns {

    private final Clock clock;
    private final int capacity;
    private final Map<String, Pending> runs = new LinkedHashMap<>();
    private Duration visibility;

    private static final class Pending {
        final ObjectNode run;
        Instant invisibleUntil = Instant.MIN;
        int claims;

        Pending(ObjectNode run) {
            this.run = run;
        }
    }

    /** @param capacity the most runs kept waiting; adding more drops the oldest */
    public PendingRuns(Duration visibility, int capacity, Clock clock) {
        this.visibility = Objects.requireNonNull(visibility, "visibility");
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A run for an agent to claim, shaped as Port hands it out: {@code {"id", "payload": {...}}}. */
    public void add(ObjectNode run) {
        String id = run.path("id").asText("");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a pending run needs an \"id\"");
        }
        runs.put(id, new Pending(run.deepCopy()));
        for (Iterator<String> oldest = runs.keySet().iterator(); runs.size() > capacity; ) {
            oldest.next();
            oldest.remove();
        }
    }

    /** How long a claimed run stays invisible to other claims. */
    public void visibility(Duration visibility) {
        this.visibility = Objects.requireNonNull(visibility, "visibility");
    }

    /** Up to {@code limit} visible runs, oldest first; each becomes invisible for the visibility timeout. */
    public List<ObjectNode> claim(int limit) {
        Instant now = clock.instant();
        List<ObjectNode> claimed = new ArrayList<>();
        for (Pending pending : runs.values()) {
            if (claimed.size() >= limit) {
                break;
            }
            if (!now.isBefore(pending.invisibleUntil)) {
                pending.invisibleUntil = now.plus(visibility);
                pending.claims++;
                claimed.add(pending.run.deepCopy().put("claimedUntil", pending.invisibleUntil.toString()));
            }
        }
        return claimed;
    }

    /** Removes the runs among {@code runIds} that were claimed; answers how many (Port's {@code ackedCount}). */
    public int ack(List<String> runIds) {
        int acked = 0;
        for (String runId : runIds) {
            Pending pending = runs.get(runId);
            if (pending != null && pending.claims > 0) {
                runs.remove(runId);
                acked++;
            }
        }
        return acked;
    }

    /** How many times the run was handed out so far (0 once acknowledged and forgotten, or never added). */
    public int claims(String runId) {
        Pending pending = runs.get(runId);
        return pending == null ? 0 : pending.claims;
    }

    /** True while the run waits for an agent or for its acknowledgement. */
    public boolean pending(String runId) {
        return runs.containsKey(runId);
    }

    public void clear() {
        runs.clear();
    }
}
