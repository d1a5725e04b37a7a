package io.cairn.storage.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LogConfigTest {

    @Test
    void defaultsAreKafkas() {
        LogConfig config = LogConfig.defaults();
        assertEquals(1 << 30, config.segmentBytes());
        assertEquals(7 * 24 * 3_600_000L, config.segmentMs());
        assertEquals(7 * 24 * 3_600_000L, config.retentionMs());
        assertEquals(-1, config.retentionBytes());
        assertEquals(4096, config.indexIntervalBytes());
        assertEquals(10 * 1024 * 1024, config.segmentIndexBytes());
        assertEquals(Long.MAX_VALUE, config.flushMessages());
        assertEquals(Long.MAX_VALUE, config.flushMs());
        assertEquals(60_000, config.fileDeleteDelayMs());
        assertFalse(config.flushOnAck());
    }

    @Test
    void brokerKeysBecomeTopicKeysAndTopicOverridesWin() {
        LogConfig config = LogConfig.fromBroker(
                Map.of("log.segment.bytes", "1048576", "log.retention.hours", "2", "log.roll.hours", "1",
                        "log.retention.minutes", "30", "log.flush.interval.messages", "1000"),
                Map.of("retention.bytes", "5000", "cairn.flush.on.ack", "true", "x.engine.key", "y"));
        assertEquals(1_048_576, config.segmentBytes());
        assertEquals(30 * 60_000L, config.retentionMs(), "minutes win over hours");
        assertEquals(3_600_000L, config.segmentMs());
        assertEquals(1000, config.flushMessages());
        assertEquals(5000, config.retentionBytes());
        assertTrue(config.flushOnAck());
        assertEquals("y", config.asMap().get("x.engine.key"));
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LogConfig.of(Map.of("segment.bytes", "lots")));
        assertThrows(IllegalArgumentException.class, () -> LogConfig.of(Map.of("segment.bytes", "10")));
        assertThrows(IllegalArgumentException.class, () -> LogConfig.of(Map.of("retention.ms", "-2")));
        assertThrows(IllegalArgumentException.class, () -> LogConfig.of(Map.of("cairn.flush.on.ack", "yes")));
    }

    @Test
    void withMakesAChangedCopy() {
        LogConfig config = LogConfig.defaults();
        LogConfig changed = config.with(LogConfig.RETENTION_MS, "1000");
        assertEquals(1000, changed.retentionMs());
        assertEquals(604_800_000L, config.retentionMs());
        assertEquals(changed, LogConfig.of(Map.of("retention.ms", "1000")));
    }
}
