package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cairn.broker.spi.cluster.NewTopic;

/**
 * Produce and Fetch on the wire, for what real clients do not send or cannot show: broken CRCs,
 * wrong magic, unknown topics, acks=0, fetch sessions, long polls and byte limits. Requests and
 * responses are kafka-clients' own classes, so the wire format is theirs.
 */
class ProduceFetchWireTest {

    private static final short PRODUCE_V = 11;
    private static final short FETCH_V = 12;

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.singleNode(
            Map.of("socket.request.max.bytes", String.valueOf(10 * 1024 * 1024)), true));

    @AfterEach
    void everyReadRegionIsReleased() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.broker().openRegions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.broker().openRegions(), "log regions read but never released");
    }

    private void createTopic(String name, int partitions) {
        server.broker().createTopic(new NewTopic(name, partitions, (short) 1, Map.of(), Map.of()), false);
    }

    static MemoryRecords records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    static ProduceRequestData produce(String topic, int partition, short acks, MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(5000).setTopicData(topics);
    }

    private static ProduceResponseData.PartitionProduceResponse onlyPartition(RawKafkaClient.Response response) {
        return ((ProduceResponseData) response.body()).responses().iterator().next().partitionResponses().get(0);
    }

    static FetchRequestData fetch(String topic, int partition, long offset, int maxWaitMs, int maxBytes) {
        return new FetchRequestData().setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(maxBytes).setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(new FetchRequestData.FetchTopic().setTopic(topic)
                        .setPartitions(new ArrayList<>(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(partition).setFetchOffset(offset).setPartitionMaxBytes(1 << 20)))))));
    }

    @Test
    void aBatchWithABrokenCrcIsRefusedWithCorruptMessageAndNotStored() throws IOException {
        createTopic("crc", 1);
        MemoryRecords records = records("intact value");
        ByteBuffer buffer = records.buffer();
        int last = buffer.limit() - 1;
        buffer.put(last, (byte) (buffer.get(last) ^ 0x5a)); // a flipped bit in the value: CRC no longer matches
        try (RawKafkaClient client = server.connect()) {
            ProduceResponseData.PartitionProduceResponse p = onlyPartition(
                    client.call(ApiKeys.PRODUCE, PRODUCE_V, 1, produce("crc", 0, (short) 1, records)));

            assertEquals(Errors.CORRUPT_MESSAGE.code(), p.errorCode(), p.errorMessage());
            assertEquals(-1, p.baseOffset());
        }
        assertEquals(0, server.broker().replica("crc", 0).logEndOffset());
    }

    @Test
    void anUnknownMagicIsCorruptAndTwoBatchesInOnePartitionAreInvalid() throws IOException {
        createTopic("framing", 1);
        MemoryRecords badMagic = records("x");
        badMagic.buffer().put(Records.MAGIC_OFFSET, (byte) 7);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(bytesOf(records("a")));
        two.writeBytes(bytesOf(records("b")));
        try (RawKafkaClient client = server.connect()) {
            ProduceResponseData.PartitionProduceResponse magic = onlyPartition(
                    client.call(ApiKeys.PRODUCE, PRODUCE_V, 1, produce("framing", 0, (short) 1, badMagic)));
            ProduceResponseData.PartitionProduceResponse twoBatches = onlyPartition(client.call(ApiKeys.PRODUCE,
                    PRODUCE_V, 2, produce("framing", 0, (short) 1,
                            MemoryRecords.readableRecords(ByteBuffer.wrap(two.toByteArray())))));

            assertEquals(Errors.CORRUPT_MESSAGE.code(), magic.errorCode(), magic.errorMessage());
            assertEquals(Errors.INVALID_RECORD.code(), twoBatches.errorCode(), twoBatches.errorMessage());
        }
        assertEquals(0, server.broker().replica("framing", 0).logEndOffset());
    }

    @Test
    void aProducerMayNotSetLogAppendTimeOrWriteTransactionsOrUseOtherAcks() throws IOException {
        createTopic("rules", 1);
        server.broker().createTopic(new NewTopic("stamped", 1, (short) 1, Map.of(),
                Map.of("message.timestamp.type", "LogAppendTime")), false);
        MemoryRecordsBuilder appendTime = MemoryRecords.builder(ByteBuffer.allocate(256), Compression.NONE,
                TimestampType.LOG_APPEND_TIME, 0L);
        appendTime.append(1L, null, "v".getBytes());
        MemoryRecordsBuilder transactional = new MemoryRecordsBuilder(ByteBuffer.allocate(256),
                RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP,
                42L, (short) 0, 0, true, false, RecordBatch.NO_PARTITION_LEADER_EPOCH, Integer.MAX_VALUE);
        transactional.append(1L, null, "v".getBytes());
        try (RawKafkaClient client = server.connect()) {
            ProduceResponseData.PartitionProduceResponse stamped = onlyPartition(client.call(ApiKeys.PRODUCE, PRODUCE_V,
                    1, produce("stamped", 0, (short) 1, appendTime.build())));
            ProduceResponseData.PartitionProduceResponse txn = onlyPartition(client.call(ApiKeys.PRODUCE, PRODUCE_V, 2,
                    produce("rules", 0, (short) 1, transactional.build())));
            ProduceResponseData.PartitionProduceResponse acks = onlyPartition(client.call(ApiKeys.PRODUCE, PRODUCE_V,
                    3, produce("rules", 0, (short) 2, records("v"))));

            assertEquals(Errors.INVALID_TIMESTAMP.code(), stamped.errorCode());
            assertEquals(1, stamped.recordErrors().size());
            assertEquals(0, stamped.recordErrors().get(0).batchIndex());
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), txn.errorCode());
            assertEquals(Errors.INVALID_REQUIRED_ACKS.code(), acks.errorCode());
        }
        assertEquals(0, server.broker().replica("rules", 0).logEndOffset());
        assertEquals(0, server.broker().replica("stamped", 0).logEndOffset());
    }

    @Test
    void aLogAppendTimeBatchOnACreateTimeTopicIsStoredAsCreateTime() throws IOException {
        createTopic("create-time", 1);
        MemoryRecordsBuilder appendTime = MemoryRecords.builder(ByteBuffer.allocate(256), Compression.NONE,
                TimestampType.LOG_APPEND_TIME, 0L);
        appendTime.append(1L, null, "v".getBytes());
        try (RawKafkaClient client = server.connect()) {
            assertEquals(Errors.NONE.code(), onlyPartition(client.call(ApiKeys.PRODUCE, PRODUCE_V, 1,
                    produce("create-time", 0, (short) 1, appendTime.build()))).errorCode());
        }
        RecordBatch stored = server.broker().replica("create-time", 0).storedBatches().get(0);
        assertEquals(TimestampType.CREATE_TIME, stored.timestampType());
        assertTrue(stored.isValid(), "CRC recomputed");
    }

    @Test
    void unknownTopicsAndPartitionsAreAnsweredAsSuch() throws IOException {
        createTopic("known", 1);
        try (RawKafkaClient client = server.connect()) {
            ProduceResponseData.PartitionProduceResponse topic = onlyPartition(client.call(ApiKeys.PRODUCE, PRODUCE_V,
                    1, produce("unknown", 0, (short) 1, records("v"))));
            ProduceResponseData.PartitionProduceResponse partition = onlyPartition(client.call(ApiKeys.PRODUCE,
                    PRODUCE_V, 2, produce("known", 5, (short) 1, records("v"))));
            FetchResponseData fetched = (FetchResponseData) client.call(ApiKeys.FETCH, FETCH_V, 3,
                    fetch("unknown", 0, 0, 5000, 1 << 20)).body();
            FetchRequestData byId = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setSessionEpoch(-1)
                    .setTopics(List.of(new FetchRequestData.FetchTopic().setTopicId(Uuid.randomUuid())
                            .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0)))));
            FetchResponseData fetchedById = (FetchResponseData) client.call(ApiKeys.FETCH, (short) 13, 4, byId).body();
            ListOffsetsResponseData offsets = (ListOffsetsResponseData) client.call(ApiKeys.LIST_OFFSETS, (short) 7, 5,
                    new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                            new ListOffsetsRequestData.ListOffsetsTopic().setName("unknown").setPartitions(List.of(
                                    new ListOffsetsRequestData.ListOffsetsPartition().setTimestamp(-1)))))).body();

            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), topic.errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partition.errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    fetched.responses().get(0).partitions().get(0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), fetchedById.responses().get(0).partitions().get(0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    offsets.topics().get(0).partitions().get(0).errorCode());
        }
    }

    @Test
    void invalidTopicNamesAreRefusedAndNeverCreated() throws IOException {
        TestBroker autoCreating = TestBroker.singleNode(Map.of("auto.create.topics.enable", "true"), true);
        KafkaProtocolComponent component = new KafkaProtocolComponent(autoCreating);
        try (RawKafkaClient client = new RawKafkaClient(component.boundAddress("PLAINTEXT").orElseThrow())) {
            MetadataResponseData response = (MetadataResponseData) client.call(ApiKeys.METADATA, (short) 12, 1,
                    new MetadataRequestData().setAllowAutoTopicCreation(true).setTopics(List.of(
                            new MetadataRequestData.MetadataRequestTopic().setName("no spaces allowed"),
                            new MetadataRequestData.MetadataRequestTopic().setName("a".repeat(250)),
                            new MetadataRequestData.MetadataRequestTopic().setName("fresh")))).body();
            MetadataResponseData notAllowed = (MetadataResponseData) client.call(ApiKeys.METADATA, (short) 12, 2,
                    new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                            new MetadataRequestData.MetadataRequestTopic().setName("not-created")))).body();

            assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), response.topics().find("no spaces allowed").errorCode());
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), response.topics().find("a".repeat(250)).errorCode());
            assertEquals(Errors.NONE.code(), response.topics().find("fresh").errorCode(), "auto-created");
            assertEquals(1, response.topics().find("fresh").partitions().size());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), notAllowed.topics().find("not-created").errorCode());
            assertFalse(autoCreating.cluster().topic("not-created").isPresent());
            assertFalse(autoCreating.cluster().topic("no spaces allowed").isPresent());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void acksZeroGetsNoResponseAndAFailedOneClosesTheConnection() throws IOException {
        createTopic("fire-and-forget", 1);
        try (RawKafkaClient client = server.connect()) {
            client.send(ApiKeys.PRODUCE, PRODUCE_V, 1, produce("fire-and-forget", 0, (short) 0, records("a", "b")));
            // The next response on the connection answers the next request: there was none for acks=0.
            RawKafkaClient.Response next = client.call(ApiKeys.API_VERSIONS, (short) 3, 2,
                    RawKafkaClient.apiVersionsRequest());
            assertEquals(2, next.correlationId());
            assertInstanceOf(ApiVersionsResponseData.class, next.body());
        }
        assertEquals(2, server.broker().replica("fire-and-forget", 0).logEndOffset());

        try (RawKafkaClient client = server.connect()) {
            client.send(ApiKeys.PRODUCE, PRODUCE_V, 3, produce("no-such-topic", 0, (short) 0, records("lost")));
            assertTrue(client.closedByBroker(), "a failed acks=0 produce closes the connection, as in Kafka");
        }
    }

    @Test
    void pipelinedProducesAreAppendedAndAnsweredInRequestOrder() throws IOException {
        createTopic("ordered", 1);
        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            pipelined.writeBytes(RawKafkaClient.frame(ApiKeys.PRODUCE, PRODUCE_V, 100 + i,
                    produce("ordered", 0, (short) 1, records("m" + i))));
        }
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(pipelined.toByteArray());
            for (int i = 0; i < 20; i++) {
                RawKafkaClient.Response response = client.read(ApiKeys.PRODUCE, PRODUCE_V);
                assertEquals(100 + i, response.correlationId());
                assertEquals(i, onlyPartition(response).baseOffset());
            }
        }
        List<RecordBatch> stored = server.broker().replica("ordered", 0).storedBatches();
        for (int i = 0; i < 20; i++) {
            assertEquals("m" + i, StandardCharsets.UTF_8.decode(stored.get(i).iterator().next().value()).toString());
        }
    }

    @Test
    void fetchSessionsAreRefusedAsByABrokerWithAFullSessionCache() throws IOException {
        createTopic("sessions", 1);
        try (RawKafkaClient client = server.connect()) {
            FetchResponseData full = (FetchResponseData) client.call(ApiKeys.FETCH, FETCH_V, 1,
                    fetch("sessions", 0, 0, 0, 1 << 20).setSessionId(0).setSessionEpoch(0)).body();
            FetchResponseData incremental = (FetchResponseData) client.call(ApiKeys.FETCH, FETCH_V, 2,
                    fetch("sessions", 0, 0, 0, 1 << 20).setSessionId(123).setSessionEpoch(4)).body();

            assertEquals(Errors.NONE.code(), full.errorCode());
            assertEquals(0, full.sessionId(), "no session was created: the client keeps sending full requests");
            assertEquals(1, full.responses().size());
            assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), incremental.errorCode());
            assertEquals(0, incremental.sessionId());
            assertTrue(incremental.responses().isEmpty());
        }
    }

    @Test
    void aLongPollEndsAtMaxWaitWhenNothingArrives() throws IOException, InterruptedException {
        createTopic("quiet", 1);
        try (RawKafkaClient client = server.connect()) {
            long start = System.nanoTime();
            FetchResponseData response = (FetchResponseData) client.call(ApiKeys.FETCH, FETCH_V, 1,
                    fetch("quiet", 0, 0, 400, 1 << 20)).body();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(tookMs >= 350 && tookMs < 3000, "answered after " + tookMs + " ms for max.wait.ms=400");
            FetchResponseData.PartitionData p = response.responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), p.errorCode());
            assertEquals(0, p.records().sizeInBytes());
        }
        assertEquals(0, server.broker().replica("quiet", 0).listenerCount(), "no listener left behind");
    }

    @Test
    void aLongPollIsAnsweredAsSoonAsAnotherClientAppends() throws Exception {
        createTopic("busy", 1);
        try (RawKafkaClient consumer = server.connect(); RawKafkaClient producer = server.connect()) {
            consumer.send(ApiKeys.FETCH, FETCH_V, 1, fetch("busy", 0, 0, 20_000, 1 << 20));
            // Produce only once the fetch is parked on the partition, so the append must wake it.
            long parked = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.broker().replica("busy", 0).listenerCount() == 0 && System.nanoTime() < parked) {
                Thread.sleep(10);
            }
            assertEquals(1, server.broker().replica("busy", 0).listenerCount(), "the fetch is parked");
            long start = System.nanoTime();
            assertEquals(Errors.NONE.code(), onlyPartition(producer.call(ApiKeys.PRODUCE, PRODUCE_V, 2,
                    produce("busy", 0, (short) 1, records("now")))).errorCode());
            FetchResponseData response = (FetchResponseData) consumer.read(ApiKeys.FETCH, FETCH_V).body();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(tookMs < 2000, "woken after " + tookMs + " ms");
            FetchResponseData.PartitionData p = response.responses().get(0).partitions().get(0);
            assertEquals(1, p.highWatermark());
            assertEquals("now", StandardCharsets.UTF_8.decode(
                    ((MemoryRecords) p.records()).records().iterator().next().value()).toString());
        }
    }

    @Test
    void aClientThatLeavesDuringALongPollLeavesNothingBehind() throws Exception {
        createTopic("abandoned", 1);
        try (RawKafkaClient consumer = server.connect()) {
            consumer.send(ApiKeys.FETCH, FETCH_V, 1, fetch("abandoned", 0, 0, 60_000, 1 << 20));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.broker().replica("abandoned", 0).listenerCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, server.broker().replica("abandoned", 0).listenerCount(), "the fetch is parked");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.broker().replica("abandoned", 0).listenerCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, server.broker().replica("abandoned", 0).listenerCount());
    }

    @Test
    void fetchByteLimitsFollowKip74() throws IOException {
        createTopic("limits", 2);
        String kilobyte = "x".repeat(1000);
        try (RawKafkaClient client = server.connect()) {
            for (int p = 0; p < 2; p++) {
                client.call(ApiKeys.PRODUCE, PRODUCE_V, p, produce("limits", p, (short) 1, records(kilobyte)));
            }
            FetchRequestData both = fetch("limits", 0, 0, 0, 1500);
            both.topics().get(0).partitions().add(new FetchRequestData.FetchPartition().setPartition(1)
                    .setFetchOffset(0).setPartitionMaxBytes(1 << 20));
            FetchResponseData limited = (FetchResponseData) client.call(ApiKeys.FETCH, FETCH_V, 10, both).body();
            FetchResponseData tiny = (FetchResponseData) client.call(ApiKeys.FETCH, FETCH_V, 11,
                    fetch("limits", 1, 0, 0, 10)).body();

            List<FetchResponseData.PartitionData> partitions = limited.responses().get(0).partitions();
            assertTrue(partitions.get(0).records().sizeInBytes() > 1000, "the first batch fits the request's 1500");
            assertEquals(0, partitions.get(1).records().sizeInBytes(), "the second would exceed it: nothing");
            assertEquals(1, partitions.get(1).highWatermark(), "but its high watermark is reported");
            assertTrue(tiny.responses().get(0).partitions().get(0).records().sizeInBytes() > 1000,
                    "a first batch larger than max bytes comes whole, so a consumer can always progress");
        }
    }

    @Test
    void aClientPipeliningPastTheLimitsIsAnsweredInFullAndInOrder() throws IOException {
        createTopic("firehose", 1);
        String large = "y".repeat(512 * 1024);
        try (RawKafkaClient client = server.connect()) {
            client.call(ApiKeys.PRODUCE, PRODUCE_V, 1, produce("firehose", 0, (short) 1, records(large)));
            // Far more requests than may be in flight, and fetch responses far above the channel's
            // high-water mark, all written before reading anything: reads pause and resume.
            ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
            for (int i = 0; i < 3 * KafkaConnection.MAX_IN_FLIGHT; i++) {
                pipelined.writeBytes(i % 10 == 0
                        ? RawKafkaClient.frame(ApiKeys.FETCH, FETCH_V, 1000 + i, fetch("firehose", 0, 0, 0, 1 << 20))
                        : RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 3, 1000 + i,
                                RawKafkaClient.apiVersionsRequest()));
            }
            client.sendRaw(pipelined.toByteArray());
            for (int i = 0; i < 3 * KafkaConnection.MAX_IN_FLIGHT; i++) {
                RawKafkaClient.Response response = i % 10 == 0 ? client.read(ApiKeys.FETCH, FETCH_V)
                        : client.read(ApiKeys.API_VERSIONS, (short) 3);
                assertEquals(1000 + i, response.correlationId());
                if (response.body() instanceof FetchResponseData fetched) {
                    assertTrue(fetched.responses().get(0).partitions().get(0).records().sizeInBytes() > large.length());
                }
            }
        }
    }

    private static byte[] bytesOf(MemoryRecords records) {
        ByteBuffer buffer = records.buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
