package io.berth.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {

    @Test
    void aNewlineCannotStartAForgedLogLine() {
        String forged = "deploy\n2026-11-20 09:14:03,512 INFO  [io.berth] run r_1: SUCCESS";

        String escaped = ControlCharacters.escape(forged);

        assertThat(escaped).doesNotContain("\n")
                .isEqualTo("deploy\\n2026-11-20 09:14:03,512 INFO  [io.berth] run r_1: SUCCESS");
    }

    @Test
    void escapesEveryControlAndInvisibleFormatCharacter() {
        assertThat(ControlCharacters.escape("a\rb\tc\u0000d\u001Be\u007Ff\u0085g"))
                .isEqualTo("a\\rb\\tc\\u0000d\\u001Be\\u007Ff\\u0085g");
        // Unicode line and paragraph separators, a right-to-left override, a zero-width space.
        assertThat(ControlCharacters.escape("a\u2028b\u2029c\u202Ed\u200Be"))
                .isEqualTo("a\\u2028b\\u2029c\\u202Ed\\u200Be");
    }

    @Test
    void escapesALoneSurrogateButKeepsAPairedOne() {
        assertThat(ControlCharacters.escape("x\uD800y")).isEqualTo("x\\uD800y");
        assertThat(ControlCharacters.escape("café ☕ 😀 Łódź")).isEqualTo("café ☕ 😀 Łódź");
    }

    @Test
    void doublesABackslashSoThatAnEscapeInTheInputIsNotMistakenForOneMadeHere() {
        assertThat(ControlCharacters.escape("a\\nb")).isEqualTo("a\\\\nb");
        assertThat(ControlCharacters.escape("a\nb")).isNotEqualTo(ControlCharacters.escape("a\\nb"));
    }

    @Test
    void leavesOrdinaryTextAloneAndNamesNull() {
        String plain = "org_test.runs[3]@42 run r_Kp4Nd8sQ2rVt6yHa: action 'scaffold_service'";
        assertThat(ControlCharacters.escape(plain)).isSameAs(plain);
        assertThat(ControlCharacters.escape(null)).isEqualTo("null");
    }
}
