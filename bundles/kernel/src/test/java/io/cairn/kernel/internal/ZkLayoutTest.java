package io.cairn.kernel.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.PartitionState;

class ZkLayoutTest {

    @Test
    void readsABrokerRegistrationWrittenByApacheKafka() {
        // As Kafka 2.8 writes /brokers/ids/1 (KafkaZkClient.registerBroker, version 5 with features).
        String kafka = "{\"features\":{},\"listener_security_protocol_map\":{\"PLAINTEXT\":\"PLAINTEXT\","
                + "\"EXTERNAL\":\"SASL_SSL\"},\"endpoints\":[\"PLAINTEXT://10.0.0.1:9092\",\"EXTERNAL://[::1]:9093\"],"
                + "\"jmx_port\":-1,\"port\":9092,\"host\":\"10.0.0.1\",\"version\":5,\"timestamp\":\"1700000000000\","
                + "\"rack\":\"r1\"}";
        BrokerInfo b = ZkLayout.parseBroker(1, kafka.getBytes(UTF_8));
        assertEquals(new BrokerInfo(1, List.of(new Endpoint("PLAINTEXT", "PLAINTEXT", "10.0.0.1", 9092),
                new Endpoint("EXTERNAL", "SASL_SSL", "::1", 9093)), "r1"), b);
    }

    @Test
    void brokerRegistrationRoundTripsAndHasKafkasFields() {
        List<Endpoint> eps = List.of(new Endpoint("PLAINTEXT", "PLAINTEXT", "h", 9092));
        byte[] doc = ZkLayout.brokerRegistration(eps, null, 5L);
        Map<String, Object> m = ZkLayout.object(doc);
        assertEquals(4L, m.get("version"));
        assertEquals(List.of("PLAINTEXT://h:9092"), m.get("endpoints"));
        assertEquals("h", m.get("host"));
        assertEquals(9092L, m.get("port"));
        assertEquals(new BrokerInfo(3, eps, null), ZkLayout.parseBroker(3, doc));
    }

    @Test
    void partitionStateAndTopicIdsUseKafkasEncoding() {
        byte[] state = ZkLayout.partitionState(2, 1, 4, List.of(1, 2));
        assertEquals("{\"controller_epoch\":2,\"leader\":1,\"version\":1,\"leader_epoch\":4,\"isr\":[1,2]}",
                new String(state, UTF_8));
        assertEquals(new PartitionState(0, 1, 4, List.of(1, 2, 3), List.of(1, 2)),
                ZkLayout.parsePartitionState(0, List.of(1, 2, 3), state));
        UUID id = UUID.randomUUID();
        String kafkaForm = ZkLayout.kafkaUuid(id);
        assertEquals(22, kafkaForm.length());
        assertEquals(id, ZkLayout.parseKafkaUuid(kafkaForm));
    }

    @Test
    void jsonParserRefusesMalformedAndAbsurdlyNestedInput() {
        for (String bad : List.of("{", "{\"a\":}", "[1,]", "\"\\x\"", "{} x", "tru", "-")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(10_000) + "]".repeat(10_000)));
        assertEquals(Map.of("s", "a\"b\u00e9\n", "n", -12L, "d", 1.5, "l", List.of(true, false)),
                Json.parse(Json.write(Map.of("s", "a\"b\u00e9\n", "n", -12L, "d", 1.5, "l", List.of(true, false)))));
    }
}
