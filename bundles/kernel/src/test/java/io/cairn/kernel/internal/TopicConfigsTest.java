package io.cairn.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

class TopicConfigsTest {

    @Test
    void cleanerKeysDefaultFromTheBrokersLogCleanerKeys() {
        Map<String, String> defaults = TopicConfigs.effective(Map.of(), Map.of());
        assertEquals("86400000", defaults.get("delete.retention.ms"));
        assertEquals("0.5", defaults.get("min.cleanable.dirty.ratio"));
        assertEquals("0", defaults.get("min.compaction.lag.ms"));
        assertEquals(Long.toString(Long.MAX_VALUE), defaults.get("max.compaction.lag.ms"));

        Map<String, String> broker = Map.of("log.cleaner.delete.retention.ms", "1000",
                "log.cleaner.min.cleanable.ratio", "0.1", "log.cleaner.min.compaction.lag.ms", "5",
                "log.cleaner.max.compaction.lag.ms", "60000");
        Map<String, String> fromBroker = TopicConfigs.effective(broker, Map.of("min.compaction.lag.ms", "7"));
        assertEquals("1000", fromBroker.get("delete.retention.ms"));
        assertEquals("0.1", fromBroker.get("min.cleanable.dirty.ratio"));
        assertEquals("7", fromBroker.get("min.compaction.lag.ms"));
        assertEquals("60000", fromBroker.get("max.compaction.lag.ms"));
    }

    @Test
    void cleanerKeysAreValidatedAsKafkaDoes() {
        TopicConfigs.validate(Map.of("delete.retention.ms", "0", "min.cleanable.dirty.ratio", "0.01",
                "min.compaction.lag.ms", "100", "max.compaction.lag.ms", "3600000"));
        for (String bad : new String[] {"1.5", "-0.1", "half"}) {
            BrokerException e = assertThrows(BrokerException.class,
                    () -> TopicConfigs.validate(Map.of("min.cleanable.dirty.ratio", bad)));
            assertEquals(BrokerError.INVALID_CONFIG, e.error());
        }
        assertEquals(BrokerError.INVALID_CONFIG, assertThrows(BrokerException.class,
                () -> TopicConfigs.validate(Map.of("delete.retention.ms", "a day"))).error());
    }
}
