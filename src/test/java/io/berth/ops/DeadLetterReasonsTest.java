package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A dead letter's free-text reason becomes one of a few labels. */
class DeadLetterReasonsTest {

    @Test
    void eachCapabilitysReasonsFallIntoAFixedCategory() {
        assertThat(DeadLetterReasons.category("malformed JSON at line 1, column 2")).isEqualTo("malformed");
        assertThat(DeadLetterReasons.category("not UTF-8: malformed byte sequence at byte 3")).isEqualTo("malformed");
        assertThat(DeadLetterReasons.category("record of 2000000 bytes exceeds the limit of 1048576 bytes"))
                .isEqualTo("too_large");
        assertThat(DeadLetterReasons.category("empty record: no run message")).isEqualTo("empty");
        assertThat(DeadLetterReasons.category("unexpected failure: java.lang.IllegalStateException"))
                .isEqualTo("unexpected_failure");
        assertThat(DeadLetterReasons.category("topic orders: webhook answered 400, which is not retried after 1 attempt"))
                .isEqualTo("webhook_failed");
        assertThat(DeadLetterReasons.category("change event without a resourceType")).isEqualTo("invalid_change_event");
    }

    @Test
    void anyOtherTextIsOtherSoARecordCannotAddASeries() {
        assertThat(DeadLetterReasons.category("r_8f3a1c0d9e2b4a67 did something new")).isEqualTo("other");
        assertThat(DeadLetterReasons.category(null)).isEqualTo("other");
    }
}
