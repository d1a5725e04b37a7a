package io.cairn.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.Endpoint;

class KafkaBrokerConfigTest {

    @Test
    void kafkaDefaultsApplyWhenNothingIsConfigured() {
        KafkaBrokerConfig c = KafkaBrokerConfig.of(Map.of("cairn.home", "/opt/cairn"));
        assertEquals(List.of(new Endpoint("PLAINTEXT", "PLAINTEXT", "", 9092)), c.listeners());
        assertEquals(c.listeners(), c.advertisedListeners());
        assertEquals(List.of(Path.of("/opt/cairn/data")), c.logDirs());
        assertEquals(1, c.numPartitions());
        assertEquals(1_048_588, c.messageMaxBytes());
        assertEquals(104_857_600, c.socketRequestMaxBytes());
        assertTrue(c.autoCreateTopicsEnable());
        assertEquals("168", c.get("log.retention.hours").orElseThrow());
        assertEquals("1073741824", c.get("log.segment.bytes").orElseThrow());
        assertEquals("standalone", c.metadataStoreName());
    }

    @Test
    void zookeeperConnectSelectsTheZooKeeperStoreUnlessOneIsNamed() {
        assertEquals("zookeeper", KafkaBrokerConfig.of(Map.of("zookeeper.connect", "127.0.0.1:2181")).metadataStoreName());
        assertEquals("standalone", KafkaBrokerConfig.of(Map.of("zookeeper.connect", "z:2181",
                "cairn.metadata.store", "standalone")).metadataStoreName());
    }

    @Test
    void listenersAndRelativeLogDirsAreParsedAsKafkaDoes() {
        KafkaBrokerConfig c = KafkaBrokerConfig.of(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:39192, INTERNAL://[::1]:39193",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT",
                "advertised.listeners", "PLAINTEXT://broker1.example:9092",
                "log.dirs", "a,/abs/b", "cairn.working.dir", "/work/dir", "broker.id", "7"));
        assertEquals(7, c.brokerId());
        assertEquals(List.of(new Endpoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 39192),
                new Endpoint("INTERNAL", "PLAINTEXT", "::1", 39193)), c.listeners());
        assertEquals("broker1.example", c.advertisedListeners().get(0).host());
        assertEquals(List.of(Path.of("/work/dir/a"), Path.of("/abs/b")), c.logDirs());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertMessage("broker.id", Map.of("broker.id", "x"));
        assertMessage("listeners", Map.of("listeners", "localhost:9092"));
        assertMessage("listeners", Map.of("listeners", "PLAINTEXT://:99999"));
        assertMessage("listener.security.protocol.map", Map.of("listeners", "OTHER://:1"));
        assertMessage("appears twice", Map.of("listeners", "PLAINTEXT://:1,PLAINTEXT://:2"));
        assertMessage("num.partitions", Map.of("num.partitions", "0"));
    }

    private static void assertMessage(String expected, Map<String, String> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaBrokerConfig.of(config));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
