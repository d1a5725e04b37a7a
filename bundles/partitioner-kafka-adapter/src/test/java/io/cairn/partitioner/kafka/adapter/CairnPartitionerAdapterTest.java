package io.cairn.partitioner.kafka.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The adapter as a Java application uses it: made by kafka-clients from {@code partitioner.class},
 * then driving a {@link MockProducer}, whose placement is the real producer's for records with and
 * without a named partition.
 */
class CairnPartitionerAdapterTest {

    private static final String KEYHASH = "io.cairn.partitioner.keyhash.internal.KeyHashPartitioner";
    private static final String ROUNDROBIN = "io.cairn.partitioner.roundrobin.internal.RoundRobinPartitioner";
    private static final String EXPLICIT = "io.cairn.partitioner.explicit.internal.ExplicitPartitioner";
    private static final String TOPIC = "orders";

    private static final Node[] BROKERS = {new Node(1, "h1", 9092), new Node(2, "h2", 9092), new Node(3, "h3", 9092)};

    /** A cluster where {@code TOPIC} has {@code count} partitions; those in {@code offline} have no leader. */
    private static Cluster cluster(int count, Set<Integer> offline) {
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            Node leader = offline.contains(p) ? null : BROKERS[p % 3];
            partitions.add(new PartitionInfo(TOPIC, p, leader, BROKERS, BROKERS));
        }
        return new Cluster("cluster", List.of(BROKERS), partitions, Set.of(), Set.of());
    }

    private static Map<String, Object> producerSettings(String cairnPartitioner) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, CairnPartitionerAdapter.class.getName());
        if (cairnPartitioner != null) {
            settings.put(CairnPartitionerAdapter.PARTITIONER_CLASS_CONFIG, cairnPartitioner);
        }
        return settings;
    }

    /** The adapter exactly as KafkaProducer's constructor makes it from the settings. */
    private static Partitioner madeByKafka(String cairnPartitioner) {
        return new ProducerConfig(producerSettings(cairnPartitioner)).getConfiguredInstance(
                ProducerConfig.PARTITIONER_CLASS_CONFIG, Partitioner.class,
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, "test"));
    }

    private static MockProducer<byte[], byte[]> producer(Cluster cluster, Partitioner partitioner) {
        return new MockProducer<>(cluster, true, partitioner, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static int send(MockProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) throws Exception {
        return producer.send(record).get().partition();
    }

    @Test
    void keyhashThroughTheAdapterPlacesKeysAsTheJavaClientDoes() throws Exception {
        Random random = new Random(42);
        for (int count : new int[] {1, 6, 12, 100}) {
            try (MockProducer<byte[], byte[]> producer = producer(cluster(count, Set.of(0)), madeByKafka(KEYHASH))) {
                for (int i = 0; i < 10_000; i++) {
                    byte[] key = new byte[random.nextInt(40)];
                    random.nextBytes(key);
                    assertEquals(BuiltInPartitioner.partitionForKey(key, count),
                            send(producer, new ProducerRecord<>(TOPIC, key, new byte[] {1})), count + " partitions");
                }
            }
        }
    }

    @Test
    void roundrobinThroughTheAdapterSpreadsOverPartitionsWithALeader() throws Exception {
        int[] counts = new int[4];
        try (MockProducer<byte[], byte[]> producer = producer(cluster(4, Set.of(2)), madeByKafka(ROUNDROBIN))) {
            for (int i = 0; i < 3_000; i++) {
                counts[send(producer, new ProducerRecord<>(TOPIC, "same-key".getBytes(), null))]++;
            }
        }
        assertArrayEquals(new int[] {1_000, 1_000, 0, 1_000}, counts);
    }

    @Test
    void explicitThroughTheAdapterRefusesRecordsThatNameNoPartition() throws Exception {
        try (MockProducer<byte[], byte[]> producer = producer(cluster(4, Set.of()), madeByKafka(EXPLICIT))) {
            assertEquals(3, send(producer, new ProducerRecord<>(TOPIC, 3, null, new byte[] {1})),
                    "a named partition is the producer's own business");
            KafkaException e = assertThrows(KafkaException.class,
                    () -> producer.send(new ProducerRecord<>(TOPIC, new byte[] {1}, new byte[] {1})));
            assertEquals("Topic 'orders' uses the explicit partitioner: every record must name its partition (0 to 3),"
                    + " and this one names none", e.getMessage());
        }
    }

    @Test
    void aPartitionerGivenToTheConstructorNeedsNoSetting() throws Exception {
        CairnPartitionerAdapter adapter = new CairnPartitionerAdapter(record -> record.partitionCount() - 1);
        adapter.configure(Map.of());
        try (MockProducer<byte[], byte[]> producer = producer(cluster(5, Set.of()), adapter)) {
            assertEquals(4, send(producer, new ProducerRecord<>(TOPIC, new byte[] {1}, null)));
        }
    }

    @Test
    void anAnswerOutOfRangeIsAnErrorNotARecordInANonexistentPartition() {
        CairnPartitionerAdapter adapter = new CairnPartitionerAdapter(record -> record.partitionCount());
        try (MockProducer<byte[], byte[]> producer = producer(cluster(5, Set.of()), adapter)) {
            KafkaException e = assertThrows(KafkaException.class,
                    () -> producer.send(new ProducerRecord<>(TOPIC, new byte[] {1}, null)));
            assertTrue(e.getMessage().contains("chose partition 5"), e.getMessage());
        }
    }

    @Test
    void misconfigurationFailsWhenTheProducerIsBuiltAndSaysWhy() {
        assertConfigError(null, "must name the Cairn partitioner class");
        assertConfigError("com.example.Missing", "class not found");
        assertConfigError(String.class.getName(), "not a Cairn partitioner");
        assertConfigError(NoDefaultConstructor.class.getName(), "public no-argument constructor");
    }

    /** A Cairn partitioner that only DS could make. */
    public static final class NoDefaultConstructor implements io.cairn.partitioner.spi.Partitioner {
        private final int partition;

        public NoDefaultConstructor(int partition) {
            this.partition = partition;
        }

        @Override
        public int partition(io.cairn.partitioner.spi.PartitionRequest record) {
            return partition;
        }
    }

    private static void assertConfigError(String cairnPartitioner, String expected) {
        ConfigException direct = assertThrows(ConfigException.class, () -> madeByKafka(cairnPartitioner));
        assertTrue(direct.getMessage().contains(expected), direct.getMessage());
    }

    @Test
    void aRealKafkaProducerIsBuiltWithTheAdapterAndRefusesABadSetting() {
        Map<String, Object> settings = producerSettings(KEYHASH);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
            producer.close(Duration.ZERO);
        }
        settings.put(CairnPartitionerAdapter.PARTITIONER_CLASS_CONFIG, "com.example.Missing");
        KafkaException e = assertThrows(KafkaException.class, () -> new KafkaProducer<byte[], byte[]>(settings));
        assertInstanceOf(ConfigException.class, e.getCause(), String.valueOf(e.getCause()));
    }
}
