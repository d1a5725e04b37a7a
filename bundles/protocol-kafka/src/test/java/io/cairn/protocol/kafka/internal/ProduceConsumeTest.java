package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cairn.broker.spi.cluster.NewTopic;

/**
 * Real kafka-clients 4.4 producers and consumers against the listener, with the in-memory
 * partitions of {@link TestBroker}: what a user notices — records come back as they were sent,
 * every codec, headers, timestamps, null and empty keys and values, 1 MiB records — and what the
 * log holds, read back with kafka-clients' own record classes.
 */
class ProduceConsumeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.singleNode(
            Map.of("socket.request.max.bytes", String.valueOf(100 * 1024 * 1024)), true));

    @AfterEach
    void everyReadRegionIsReleased() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.broker().openRegions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.broker().openRegions(), "log regions read but never released");
    }

    private void createTopic(String name, Map<String, String> configs) {
        server.broker().createTopic(new NewTopic(name, 1, (short) 1, Map.of(), configs), false);
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void recordsComeBackWithKeysValuesHeadersAndTimestampsInOrder() throws Exception {
        createTopic("events", Map.of());
        long base = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("events", 0, base + i, bytes("key-" + i), bytes("value-" + i),
                        List.of(new RecordHeader("n", bytes(String.valueOf(i))), new RecordHeader("empty", new byte[0]))));
            }
            producer.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> records = Clients.readFromStart(server, new TopicPartition("events", 0),
                100, WAIT, Map.of());

        assertEquals(100, records.size());
        for (int i = 0; i < 100; i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            assertEquals(i, record.offset());
            assertEquals("key-" + i, text(record.key()));
            assertEquals("value-" + i, text(record.value()));
            assertEquals(base + i, record.timestamp());
            assertEquals(TimestampType.CREATE_TIME, record.timestampType());
            Header[] headers = record.headers().toArray();
            assertEquals(2, headers.length);
            assertEquals(String.valueOf(i), text(record.headers().lastHeader("n").value()));
            assertEquals(0, record.headers().lastHeader("empty").value().length);
        }
        // The producer was idempotent (kafka-clients' default): its batches carry its id and sequences.
        List<RecordBatch> stored = server.broker().replica("events", 0).storedBatches();
        assertTrue(stored.stream().allMatch(RecordBatch::hasProducerId), "idempotent batches");
        assertEquals(0, stored.get(0).baseSequence());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCodecRoundTripsAndIsStoredAsSent(String codec) throws Exception {
        createTopic("codec-" + codec, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, "50"))) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("codec-" + codec, bytes("k" + i), bytes("compressible value " + i
                        + " ".repeat(100))));
            }
            producer.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> records = Clients.readFromStart(server,
                new TopicPartition("codec-" + codec, 0), 200, WAIT, Map.of());

        assertEquals(200, records.size());
        for (int i = 0; i < 200; i++) {
            assertEquals("compressible value " + i + " ".repeat(100), text(records.get(i).value()));
        }
        CompressionType expected = CompressionType.forName(codec);
        assertTrue(server.broker().replica("codec-" + codec, 0).storedBatches().stream()
                .allMatch(b -> b.compressionType() == expected), "stored as sent: " + expected);
    }

    @Test
    void nullAndEmptyKeysAndValuesStayDistinct() throws Exception {
        createTopic("edges", Map.of());
        String[][] cases = {{null, null}, {"", ""}, {null, ""}, {"", null}, {"k", null}, {null, "v"}};
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            for (String[] c : cases) {
                producer.send(new ProducerRecord<>("edges", bytes(c[0]), bytes(c[1]))).get(10, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = Clients.readFromStart(server, new TopicPartition("edges", 0),
                cases.length, WAIT, Map.of());

        assertEquals(cases.length, records.size());
        for (int i = 0; i < cases.length; i++) {
            assertEquals(cases[i][0], text(records.get(i).key()), "key of case " + i);
            assertEquals(cases[i][1], text(records.get(i).value()), "value of case " + i);
        }
    }

    @Test
    void aOneMebibyteRecordRoundTrips() throws Exception {
        createTopic("big", Map.of("max.message.bytes", String.valueOf(2 * 1024 * 1024)));
        byte[] value = new byte[1024 * 1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server,
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(3 * 1024 * 1024),
                        ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(16 * 1024 * 1024)))) {
            producer.send(new ProducerRecord<>("big", bytes("large"), value)).get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>("big", bytes("small"), bytes("after"))).get(10, TimeUnit.SECONDS);
        }

        // The consumer's default max.partition.fetch.bytes is 1 MiB: the batch is larger, and comes whole.
        List<ConsumerRecord<byte[], byte[]>> records = Clients.readFromStart(server, new TopicPartition("big", 0), 2,
                WAIT, Map.of());

        assertEquals(2, records.size());
        assertArrayEquals(value, records.get(0).value());
        assertEquals("after", text(records.get(1).value()));
    }

    @Test
    void aBatchOverMaxMessageBytesIsRefusedWithRecordTooLarge() {
        createTopic("small", Map.of("max.message.bytes", "1000"));
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("small", new byte[5000])).get(15, TimeUnit.SECONDS));
            assertInstanceOf(RecordTooLargeException.class, refused.getCause());
        }
        assertEquals(0, server.broker().replica("small", 0).logEndOffset(), "nothing appended");
    }

    @Test
    void logAppendTimeTopicsCarryTheBrokersClock() throws Exception {
        createTopic("stamped", Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        RecordMetadata sent;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            sent = producer.send(new ProducerRecord<>("stamped", null, 1_000L, bytes("k"), bytes("v")))
                    .get(10, TimeUnit.SECONDS);
        }
        long after = System.currentTimeMillis();

        ConsumerRecord<byte[], byte[]> record = Clients.readFromStart(server, new TopicPartition("stamped", 0), 1,
                WAIT, Map.of()).get(0);

        assertEquals(TimestampType.LOG_APPEND_TIME, record.timestampType());
        assertTrue(record.timestamp() >= before && record.timestamp() <= after, "broker time " + record.timestamp());
        assertEquals(record.timestamp(), sent.timestamp(), "the produce response told the producer the same time");
    }

    @Test
    void aTopicCodecRecompressesWhatProducersSend() throws Exception {
        createTopic("gzipped", Map.of("compression.type", "gzip"));
        createTopic("plain", Map.of("compression.type", "uncompressed"));
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("gzipped", null, bytes("k" + i), bytes("v" + i),
                        List.of(new RecordHeader("h", bytes("x" + i)))));
                producer.send(new ProducerRecord<>("plain", bytes("k" + i), bytes("v" + i)));
            }
            producer.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> gzipped = Clients.readFromStart(server,
                new TopicPartition("gzipped", 0), 10, WAIT, Map.of());
        List<ConsumerRecord<byte[], byte[]>> plain = Clients.readFromStart(server, new TopicPartition("plain", 0), 10,
                WAIT, Map.of());

        assertEquals(10, gzipped.size());
        assertEquals(10, plain.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("v" + i, text(gzipped.get(i).value()));
            assertEquals("x" + i, text(gzipped.get(i).headers().lastHeader("h").value()));
            assertEquals("v" + i, text(plain.get(i).value()));
        }
        List<RecordBatch> gzipBatches = server.broker().replica("gzipped", 0).storedBatches();
        assertTrue(gzipBatches.stream().allMatch(b -> b.compressionType() == CompressionType.GZIP));
        assertTrue(gzipBatches.stream().allMatch(RecordBatch::hasProducerId), "producer state kept on rebuild");
        assertTrue(server.broker().replica("plain", 0).storedBatches().stream()
                .allMatch(b -> b.compressionType() == CompressionType.NONE));
    }

    @Test
    void compactedTopicsRefuseRecordsWithoutKeys() throws Exception {
        createTopic("compacted", Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            producer.send(new ProducerRecord<>("compacted", bytes("k"), bytes("kept"))).get(10, TimeUnit.SECONDS);
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<byte[], byte[]>("compacted", null, bytes("keyless")))
                            .get(10, TimeUnit.SECONDS));
            assertInstanceOf(InvalidRecordException.class, refused.getCause());
            assertTrue(refused.getCause().getMessage().contains("Compacted topic cannot accept message without key"),
                    refused.getCause().getMessage());
        }
        assertEquals(1, server.broker().replica("compacted", 0).logEndOffset());
    }

    @Test
    void aWaitingConsumerIsWokenByAnAppendRatherThanItsTimeout() throws Exception {
        createTopic("waiting", Map.of());
        TopicPartition partition = new TopicPartition("waiting", 0);
        KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(server,
                Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10000"));
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.poll(Duration.ofMillis(500)); // the fetch is now parked on the empty partition

            long sent = System.nanoTime();
            producer.send(new ProducerRecord<>("waiting", bytes("wake"))).get(10, TimeUnit.SECONDS);
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            while (got.isEmpty() && System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(8)) {
                consumer.poll(Duration.ofMillis(100)).forEach(got::add);
            }
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

            assertEquals(1, got.size());
            assertTrue(latencyMs < 5_000, "woken after " + latencyMs + " ms, not at fetch.max.wait.ms=10000");
        } finally {
            // Not waiting for the next parked fetch: the broker drops it when the connection closes.
            consumer.close(Duration.ZERO);
        }
        assertEquals(0, waitForNoListeners("waiting"), "the parked fetch stopped listening");
    }

    private int waitForNoListeners(String topic) throws InterruptedException {
        MemoryReplica replica = server.broker().replica(topic, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (replica.listenerCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return replica.listenerCount();
    }

    @Test
    void recordsFromEnginesWithoutFilesAreSentThroughTransferTo() throws Exception {
        // The same broker, but its regions have no FileSlice: the encoder's TransferRegion path.
        TestBroker transferOnly = TestBroker.singleNode(Map.of(), false);
        KafkaProtocolComponent component = new KafkaProtocolComponent(transferOnly);
        try {
            transferOnly.createTopic(new NewTopic("copied", 1, (short) 1, Map.of(), Map.of()), false);
            ProtocolServer view = ProtocolServer.over(transferOnly, component);
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(view, Map.of())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("copied", bytes("v" + i)));
                }
                producer.flush();
            }
            List<ConsumerRecord<byte[], byte[]>> records = Clients.readFromStart(view, new TopicPartition("copied", 0),
                    50, WAIT, Map.of());
            assertEquals(50, records.size());
            assertEquals("v49", text(records.get(49).value()));
            assertNull(records.get(0).key());
        } finally {
            component.deactivate();
        }
        assertEquals(0, transferOnly.openRegions());
    }
}
