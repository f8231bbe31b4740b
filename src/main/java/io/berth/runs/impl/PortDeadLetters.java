package io.berth.runs.impl;

import static io.berth.delivery.ControlCharacters.escape;

import java.util.Objects;

import org.jboss.logging.Logger;

import io.berth.delivery.DeadLetters;
import io.berth.delivery.InboundRecord;
import io.berth.port.PortClient;
import io.berth.port.RunPatch;
import io.smallrye.mutiny.Uni;

/**
 * Where a polled run Berth cannot use goes ({@code STREAMER_NAME=POLLING}): there is no dead-letter
 * topic without Kafka, and the run was claimed for this organisation's agent, so no other executor
 * will take it once it is acknowledged. It is reported to Port as FAILURE with the reason (when its
 * id can name it in a URL), so that it does not stay IN_PROGRESS for ever; the reason never quotes the
 * run. A report Port refuses is logged at ERROR; the run is acknowledged all the same.
 */
final class PortDeadLetters implements DeadLetters {

    private static final Logger LOG = Logger.getLogger(PortDeadLetters.class);

    private final PortClient port;

    PortDeadLetters(PortClient port) {
        this.port = Objects.requireNonNull(port, "port");
    }

    /** @param record a polled run: its key is the run id */
    @Override
    public Uni<Void> send(InboundRecord record, String reason) {
        String runId = record.key();
        if (runId == null || !RunMessageParser.isUsableRunId(runId)) {
            LOG.errorf("%s: a claimed run Berth cannot use, and cannot report to Port by its id: %s", record,
                    escape(reason));
            return Uni.createFrom().voidItem();
        }
        return port.patchRun(runId, RunPatch.terminal("FAILURE", "Berth could not use the run: " + reason))
                .replaceWithVoid()
                .onFailure().recoverWithItem(refused -> {
                    LOG.errorf("%s run %s: Port refused its FAILURE report (%s); reason it was unusable: %s", record,
                            escape(runId), refused.getMessage(), escape(reason));
                    return null;
                });
    }
}
