package io.cairn.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The built distribution, run as a process, used by kafka-clients 4.4 for everything issue 4
 * promises: every codec, headers, timestamps, null and empty keys and values, 1 MiB records, an
 * idempotent producer with five requests in flight, the error cases, every admin call, long polls,
 * and malformed traffic that must not disturb anyone else or lose anything acknowledged.
 */
public class KafkaClientsIT {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static BrokerProcess broker;
    private static Admin admin;

    @BeforeClass
    public static void startBroker() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        broker = BrokerProcess.start(work, data, BrokerProcess.freePort());
        broker.awaitListening(Duration.ofSeconds(60));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    @AfterClass
    public static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        get(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all());
    }

    static KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, TopicPartition partition, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).records(partition).forEach(records::add);
            }
        }
        return records;
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    public void everyCodecCarriesHeadersTimestampsAndNullOrEmptyKeysAndValues() throws Exception {
        String[][] keysAndValues = {{"k", "v"}, {null, null}, {"", ""}, {null, "only value"}, {"only key", null}};
        long timestamp = System.currentTimeMillis() - 3_600_000;
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            String topic = "codec-" + codec;
            createTopic(topic, 1, Map.of());
            try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                    ProducerConfig.LINGER_MS_CONFIG, "20"))) {
                for (int i = 0; i < 100; i++) {
                    String[] kv = keysAndValues[i % keysAndValues.length];
                    producer.send(new ProducerRecord<>(topic, 0, timestamp + i, bytes(kv[0]), bytes(kv[1]),
                            List.of(new RecordHeader("i", bytes(String.valueOf(i))), new RecordHeader("null", null))));
                }
                producer.flush();
            }
            List<ConsumerRecord<byte[], byte[]>> records = readAll(broker.bootstrap(), new TopicPartition(topic, 0), 100);
            assertEquals(codec, 100, records.size());
            for (int i = 0; i < 100; i++) {
                ConsumerRecord<byte[], byte[]> record = records.get(i);
                String[] kv = keysAndValues[i % keysAndValues.length];
                assertEquals(codec + " offset", i, record.offset());
                assertEquals(codec + " key " + i, kv[0], text(record.key()));
                assertEquals(codec + " value " + i, kv[1], text(record.value()));
                assertEquals(timestamp + i, record.timestamp());
                assertEquals(TimestampType.CREATE_TIME, record.timestampType());
                assertEquals(String.valueOf(i), text(record.headers().lastHeader("i").value()));
                assertNull(record.headers().lastHeader("null").value());
            }
        }
    }

    @Test
    public void aOneMebibyteRecordRoundTrips() throws Exception {
        createTopic("large", 1, Map.of("max.message.bytes", String.valueOf(2 * 1024 * 1024)));
        byte[] value = new byte[1024 * 1024];
        new Random(42).nextBytes(value);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                String.valueOf(4 * 1024 * 1024)))) {
            producer.send(new ProducerRecord<>("large", bytes("big"), value)).get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll(broker.bootstrap(), new TopicPartition("large", 0), 1);
        assertEquals(1, records.size());
        assertArrayEquals(value, records.get(0).value());
    }

    @Test
    public void anIdempotentProducerWithFiveRequestsInFlightNeitherDuplicatesNorReorders() throws Exception {
        createTopic("sequenced", 1, Map.of());
        int count = 20_000;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        // Small batches and five in-flight requests: many pipelined produce requests per connection.
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                "max.in.flight.requests.per.connection", "5", ProducerConfig.BATCH_SIZE_CONFIG,
                "1024", ProducerConfig.LINGER_MS_CONFIG, "1", ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>("sequenced", 0, null, bytes(String.valueOf(i)))));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                assertEquals("acknowledged offset of record " + i, i, sent.get(i).get(30, TimeUnit.SECONDS).offset());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll(broker.bootstrap(), new TopicPartition("sequenced", 0),
                count);
        assertEquals(count, records.size());
        for (int i = 0; i < count; i++) {
            assertEquals(String.valueOf(i), text(records.get(i).value()));
        }
    }

    @Test
    public void badInputIsRefusedWithKafkasErrors() throws Exception {
        createTopic("strict", 1, Map.of("max.message.bytes", "2000"));
        createTopic("keyed", 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000"))) {
            assertTrue(failure(producer.send(new ProducerRecord<>("strict", new byte[10_000])))
                    instanceof RecordTooLargeException);
            assertTrue(failure(producer.send(new ProducerRecord<>("keyed", null, bytes("no key"))))
                    instanceof InvalidRecordException);
            assertTrue(failure(producer.send(new ProducerRecord<>("not a valid name", bytes("v"))))
                    instanceof InvalidTopicException);
        }
        assertTrue(failure(admin.describeTopics(List.of("never-created")).allTopicNames())
                instanceof UnknownTopicOrPartitionException);
        assertTrue(failure(admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all())
                instanceof InvalidTopicException);

        // A batch whose CRC does not match, on the wire: CORRUPT_MESSAGE, nothing stored.
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(bytes("payload")));
        ByteBuffer buffer = records.buffer();
        buffer.put(buffer.limit() - 1, (byte) (buffer.get(buffer.limit() - 1) ^ 1));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("strict").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        try (RawKafkaSocket socket = new RawKafkaSocket("127.0.0.1", broker.port())) {
            ProduceResponseData response = (ProduceResponseData) socket.call(ApiKeys.PRODUCE, (short) 11, 1,
                    new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics));
            assertEquals(Errors.CORRUPT_MESSAGE.code(),
                    response.responses().iterator().next().partitionResponses().get(0).errorCode());
        }
        assertEquals(0L, (long) get(admin.listOffsets(Map.of(new TopicPartition("strict", 0), OffsetSpec.latest()))
                .all()).get(new TopicPartition("strict", 0)).offset());
    }

    @Test
    public void malformedTrafficClosesOnlyItsOwnConnectionAndLosesNothing() throws Exception {
        createTopic("survivor", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("survivor", bytes("r" + i)));
            }
            producer.flush();
        }
        byte[] good = RawKafkaSocket.frame(ApiKeys.API_VERSIONS, (short) 3, 7, new ApiVersionsRequestData()
                .setClientSoftwareName("raw").setClientSoftwareVersion("1"));
        byte[][] malformed = {
            ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), // absurd length prefix
            ByteBuffer.allocate(4).putInt(-1).array(), // negative length prefix
            ByteBuffer.allocate(14).putInt(10).putShort((short) 32000).putShort((short) 0).putInt(1)
                    .putShort((short) -1).array(), // unknown API key
            Arrays.copyOf(good, good.length - 3), // truncated request (size says more)
            truncatedBody(good), // a frame whose body ends early
        };
        for (byte[] bad : malformed) {
            try (RawKafkaSocket socket = new RawKafkaSocket("127.0.0.1", broker.port())) {
                socket.sendRaw(bad);
                if (bad.length != good.length - 3) {
                    assertTrue("closed after " + bad.length + " bad bytes", socket.closedByBroker());
                }
            }
            try (RawKafkaSocket socket = new RawKafkaSocket("127.0.0.1", broker.port())) {
                ApiVersionsResponseData ok = (ApiVersionsResponseData) socket.call(ApiKeys.API_VERSIONS, (short) 3, 8,
                        new ApiVersionsRequestData().setClientSoftwareName("raw").setClientSoftwareVersion("1"));
                assertEquals(Errors.NONE.code(), ok.errorCode());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll(broker.bootstrap(), new TopicPartition("survivor", 0),
                100);
        assertEquals("every acknowledged record is still there", 100, records.size());
        assertEquals("r99", text(records.get(99).value()));
    }

    /** {@code frame} with its size field shrunk by 3 and its last 3 bytes cut: a body that ends early. */
    private static byte[] truncatedBody(byte[] frame) {
        byte[] cut = Arrays.copyOf(frame, frame.length - 3);
        ByteBuffer.wrap(cut).putInt(cut.length - 4);
        return cut;
    }

    @Test
    public void topicAdministration() throws Exception {
        assertEquals(3, (int) get(admin.createTopics(List.of(new NewTopic("admin-dry", 3, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).numPartitions("admin-dry")));
        assertFalse(get(admin.listTopics().names()).contains("admin-dry"));

        createTopic("admin", 2, Map.of("retention.ms", "86400000"));
        assertTrue(failure(admin.createTopics(List.of(new NewTopic("admin", 1, (short) 1))).all())
                instanceof TopicExistsException);
        get(admin.createPartitions(Map.of("admin", NewPartitions.increaseTo(4))).all());
        assertEquals(4, get(admin.describeTopics(List.of("admin")).allTopicNames()).get("admin").partitions().size());

        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin");
        assertEquals("86400000", get(admin.describeConfigs(List.of(topic)).all()).get(topic).get("retention.ms").value());
        get(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all());
        Config altered = get(admin.describeConfigs(List.of(topic)).all()).get(topic);
        assertEquals("3600000", altered.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, altered.get("retention.ms").source());
        assertEquals("delete,compact", altered.get("cleanup.policy").value());

        ConfigResource thisBroker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config brokerConfig = get(admin.describeConfigs(List.of(thisBroker)).all()).get(thisBroker);
        assertEquals("1", brokerConfig.get("broker.id").value());
        assertTrue(failure(admin.incrementalAlterConfigs(Map.of(thisBroker, List.of(new AlterConfigOp(
                new ConfigEntry("log.retention.hours", "1"), AlterConfigOp.OpType.SET)))).all())
                instanceof InvalidRequestException);

        // A partition added by CreatePartitions takes records at once (keyed: the topic is now also
        // compacted). The kernel lists a replica in its log dir once its log is opened, by first
        // use; Kafka lists it from creation.
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            assertEquals(3, producer.send(new ProducerRecord<>("admin", 3, bytes("key"), bytes("in p3"))).get(30,
                    TimeUnit.SECONDS).partition());
        }
        Map<Integer, Map<String, LogDirDescription>> dirs = get(admin.describeLogDirs(List.of(1)).allDescriptions());
        assertTrue("log dirs: " + dirs, dirs.get(1).values().stream()
                .anyMatch(d -> d.replicaInfos().getOrDefault(new TopicPartition("admin", 3),
                        new ReplicaInfo(0, 0, false)).size() > 0));

        Uuid id = get(admin.describeTopics(List.of("admin")).allTopicNames()).get("admin").topicId();
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());
        Set<String> left = get(admin.listTopics().names());
        assertFalse(left.contains("admin"));
    }

    @Test
    public void offsetsByTimeAndDeletedRecords() throws Exception {
        createTopic("timeline", 1, Map.of());
        long base = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("timeline", 0, base + i * 1000L, null, bytes("t" + i)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        // The largest timestamp sits in the middle of a two-record batch: Kafka (KIP-734) answers
        // with that record's offset (10), not the batch's last offset (11).
        try (KafkaProducer<byte[], byte[]> batching = producer(Map.of("linger.ms", 5_000))) {
            batching.send(new ProducerRecord<>("timeline", 0, base + 50_000L, null, bytes("max")));
            batching.send(new ProducerRecord<>("timeline", 0, base + 10_000L, null, bytes("late")));
            batching.flush();
        }
        TopicPartition p = new TopicPartition("timeline", 0);
        assertEquals(0, offset(p, OffsetSpec.earliest()));
        assertEquals(12, offset(p, OffsetSpec.latest()));
        assertEquals(4, offset(p, OffsetSpec.forTimestamp(base + 3500)));
        assertEquals(10, offset(p, OffsetSpec.maxTimestamp()));

        assertEquals(6, get(admin.deleteRecords(Map.of(p, RecordsToDelete.beforeOffset(6))).lowWatermarks().get(p))
                .lowWatermark());
        assertEquals(6, offset(p, OffsetSpec.earliest()));
        assertEquals("t6", text(readAll(broker.bootstrap(), p, 1).get(0).value()));
    }

    private static long offset(TopicPartition p, OffsetSpec spec) throws Exception {
        return get(admin.listOffsets(Map.of(p, spec)).partitionResult(p)).offset();
    }

    @Test
    public void logAppendTimeTopicsAndLongPolls() throws Exception {
        createTopic("appended", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20000");
        TopicPartition p = new TopicPartition("appended", 0);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            consumer.assign(List.of(p));
            consumer.seekToBeginning(List.of(p));
            consumer.poll(Duration.ofMillis(1000)); // a fetch now waits on the empty partition
            long before = System.currentTimeMillis();
            producer.send(new ProducerRecord<>("appended", null, 5L, null, bytes("now"))).get(30, TimeUnit.SECONDS);
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            long start = System.nanoTime();
            while (got.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)) {
                consumer.poll(Duration.ofMillis(100)).forEach(got::add);
            }
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1, got.size());
            assertTrue("the long poll was woken by the append, not its 20 s timeout: " + waitedMs + " ms",
                    waitedMs < 5_000);
            assertEquals(TimestampType.LOG_APPEND_TIME, got.get(0).timestampType());
            assertTrue(got.get(0).timestamp() >= before);
        } finally {
            consumer.close(Duration.ZERO);
        }
    }
}
