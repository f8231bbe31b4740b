package io.berth.bridge;

import io.berth.delivery.RecordOutcome;

/** The bridge's own outcomes; the shared ones (dead-lettered, abandoned) are {@link RecordOutcome}'s. */
public interface BridgeOutcome extends RecordOutcome {

    /**
     * The webhook answered below 400 (kafka-hooks' success).
     *
     * @param attempts the attempts it took, this one included
     */
    record Delivered(String topic, int status, int attempts) implements BridgeOutcome {
        @Override
        public String label() {
            return "delivered";
        }
    }
}
