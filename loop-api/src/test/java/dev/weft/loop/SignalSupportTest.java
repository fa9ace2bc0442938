package dev.weft.loop;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -Dweft.signals} reads true and false only; any other value is a slip that keeps the default, true. */
class SignalSupportTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"true", "TRUE", " True ", "yes", "1", "", "on"})
    void absentTrueOrAnythingButFalseTurnsTheSignalsIntoCancellation(String value) {
        assertTrue(SignalSupport.enabled(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", " False\t"})
    void falseInAnyCaseLeavesTheSignalsToTheJvm(String value) {
        assertFalse(SignalSupport.enabled(value));
    }
}
