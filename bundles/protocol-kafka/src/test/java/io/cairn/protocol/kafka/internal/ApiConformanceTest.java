package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every API version the listener advertises, written and read back with kafka-clients' own
 * serialisers; and the ApiVersions rules clients depend on: exactly what is implemented is
 * advertised, a too-new version falls back, pipelined requests are answered in order.
 */
class ApiConformanceTest {

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.twoNodes()).withGroupCoordinator();

    /** The table of docs/compatibility.md: API → advertised versions. */
    static final Map<Short, String> ADVERTISED = new TreeMap<>(Map.ofEntries(
            Map.entry(ApiKeys.PRODUCE.id, "3..13"),
            Map.entry(ApiKeys.FETCH.id, "4..18"),
            Map.entry(ApiKeys.LIST_OFFSETS.id, "1..11"),
            Map.entry(ApiKeys.METADATA.id, "0..13"),
            Map.entry(ApiKeys.API_VERSIONS.id, "0..5"),
            Map.entry(ApiKeys.CREATE_TOPICS.id, "2..7"),
            Map.entry(ApiKeys.DELETE_TOPICS.id, "1..6"),
            Map.entry(ApiKeys.DELETE_RECORDS.id, "0..2"),
            Map.entry(ApiKeys.INIT_PRODUCER_ID.id, "0..6"),
            Map.entry(ApiKeys.DESCRIBE_CONFIGS.id, "1..4"),
            Map.entry(ApiKeys.ALTER_CONFIGS.id, "0..2"),
            Map.entry(ApiKeys.DESCRIBE_LOG_DIRS.id, "1..5"),
            Map.entry(ApiKeys.CREATE_PARTITIONS.id, "0..3"),
            Map.entry(ApiKeys.INCREMENTAL_ALTER_CONFIGS.id, "0..1"),
            Map.entry(ApiKeys.DESCRIBE_CLUSTER.id, "0..2"),
            Map.entry(ApiKeys.FIND_COORDINATOR.id, "0..6"),
            Map.entry(ApiKeys.JOIN_GROUP.id, "0..9"),
            Map.entry(ApiKeys.SYNC_GROUP.id, "0..5"),
            Map.entry(ApiKeys.HEARTBEAT.id, "0..4"),
            Map.entry(ApiKeys.LEAVE_GROUP.id, "0..5"),
            Map.entry(ApiKeys.OFFSET_COMMIT.id, "2..10"),
            Map.entry(ApiKeys.OFFSET_FETCH.id, "1..10"),
            Map.entry(ApiKeys.LIST_GROUPS.id, "0..5"),
            Map.entry(ApiKeys.DESCRIBE_GROUPS.id, "0..6"),
            Map.entry(ApiKeys.DELETE_GROUPS.id, "0..3"),
            Map.entry(ApiKeys.OFFSET_DELETE.id, "0..0"),
            Map.entry(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id, "0..1"),
            Map.entry(ApiKeys.CONSUMER_GROUP_DESCRIBE.id, "0..1")));

    @Test
    void apiVersionsAdvertisesExactlyTheImplementedApis() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            ApiVersionsResponseData response = (ApiVersionsResponseData) client
                    .call(ApiKeys.API_VERSIONS, (short) 4, 1, RawKafkaClient.apiVersionsRequest()).body();

            assertEquals(Errors.NONE.code(), response.errorCode());
            assertEquals(new TreeMap<>(ADVERTISED), ranges(response));
        }
    }

    static Stream<Arguments> advertisedVersions() {
        List<Arguments> all = new ArrayList<>();
        ADVERTISED.forEach((key, range) -> {
            String[] bounds = range.split("\\.\\.");
            for (short v = Short.parseShort(bounds[0]); v <= Short.parseShort(bounds[1]); v++) {
                all.add(Arguments.of(ApiKeys.forId(key), v));
            }
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("advertisedVersions")
    void everyAdvertisedVersionIsAnsweredInThatVersion(ApiKeys api, short version) throws IOException {
        if (api == ApiKeys.FETCH) {
            // Something to fetch: one record at offset 0 of orders-0.
            server.broker().replica("orders", 0).append(MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(1_700_000_000_000L, "k".getBytes(), "fetched".getBytes())).buffer(),
                    (short) 1, 1000);
        }
        try (RawKafkaClient client = server.connect()) {
            RawKafkaClient.Response response = client.call(api, version, 1000 + version, request(api, version));

            assertEquals(1000 + version, response.correlationId());
            assertAnswered(response.body(), version);
        }
    }

    /** A request valid in {@code version}, touching topic orders (partition 0 led by this broker). */
    private static ApiMessage request(ApiKeys api, short version) {
        Uuid ordersId = TopicIds.toKafka(TestBroker.ORDERS_ID);
        return switch (api) {
            case API_VERSIONS -> new ApiVersionsRequestData().setClientSoftwareName("cairn-test")
                    .setClientSoftwareVersion("1.0");
            // v0: an empty list means all topics; v1+: null does.
            case METADATA -> new MetadataRequestData().setTopics(version == 0 ? List.of() : null);
            case DESCRIBE_CLUSTER -> new DescribeClusterRequestData();
            case PRODUCE -> {
                ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
                topics.add(new ProduceRequestData.TopicProduceData().setName(version < 13 ? "orders" : "")
                        .setTopicId(version < 13 ? Uuid.ZERO_UUID : ordersId)
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecords.withRecords(Compression.NONE,
                                        new SimpleRecord("produced".getBytes()))))));
                yield new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5000).setTopicData(topics);
            }
            case FETCH -> new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                    .setSessionEpoch(-1)
                    .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(version < 13 ? "orders" : null)
                            .setTopicId(version < 13 ? Uuid.ZERO_UUID : ordersId)
                            .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0)
                                    .setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
            case LIST_OFFSETS -> new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                    new ListOffsetsRequestData.ListOffsetsTopic().setName("orders").setPartitions(List.of(
                            new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                    .setTimestamp(-1)))));
            case CREATE_TOPICS -> {
                CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
                topics.add(new CreateTopicsRequestData.CreatableTopic().setName("created-v" + version)
                        .setNumPartitions(2).setReplicationFactor((short) 1));
                yield new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(5000);
            }
            case DELETE_TOPICS -> version >= 6
                    ? new DeleteTopicsRequestData().setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState()
                            .setName(null).setTopicId(TopicIds.toKafka(TestBroker.ORPHANED.topicId()))))
                    : new DeleteTopicsRequestData().setTopicNames(List.of("orphaned"));
            case DELETE_RECORDS -> new DeleteRecordsRequestData().setTimeoutMs(5000).setTopics(List.of(
                    new DeleteRecordsRequestData.DeleteRecordsTopic().setName("orders").setPartitions(List.of(
                            new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0)
                                    .setOffset(0)))));
            case INIT_PRODUCER_ID -> new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(60_000);
            case DESCRIBE_CONFIGS -> new DescribeConfigsRequestData().setResources(List.of(
                    new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte) 2)
                            .setResourceName("orders")));
            case ALTER_CONFIGS -> {
                AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("1000"));
                AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2)
                        .setResourceName("orders").setConfigs(configs));
                yield new AlterConfigsRequestData().setResources(resources);
            }
            case DESCRIBE_LOG_DIRS -> new DescribeLogDirsRequestData().setTopics(null);
            case CREATE_PARTITIONS -> {
                CreatePartitionsRequestData.CreatePartitionsTopicCollection topics = new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
                topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("orders").setCount(4)
                        .setAssignments(null));
                yield new CreatePartitionsRequestData().setTopics(topics).setTimeoutMs(5000);
            }
            case INCREMENTAL_ALTER_CONFIGS -> {
                IncrementalAlterConfigsRequestData.AlterableConfigCollection configs = new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("cleanup.policy")
                        .setConfigOperation((byte) 2).setValue("compact"));
                IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources = new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2)
                        .setResourceName("orders").setConfigs(configs));
                yield new IncrementalAlterConfigsRequestData().setResources(resources);
            }
            default -> GroupApiConformance.request(api, version, ordersId);
        };
    }

    /** The response is the expected success for the request of {@link #request}. */
    private static void assertAnswered(ApiMessage body, short version) {
        if (GroupApiConformance.answered(body, version)) {
            return;
        }
        if (body instanceof ApiVersionsResponseData apiVersions) {
            assertEquals(Errors.NONE.code(), apiVersions.errorCode());
            assertEquals(ADVERTISED.size(), apiVersions.apiKeys().size());
        } else if (body instanceof MetadataResponseData metadata) {
            assertEquals(List.of(TestBroker.LOCAL_ID, TestBroker.REMOTE_ID),
                    metadata.brokers().stream().map(MetadataResponseData.MetadataResponseBroker::nodeId).toList());
            MetadataResponseData.MetadataResponseTopic orders = metadata.topics().find("orders");
            assertNotNull(orders, "orders in all topics");
            assertEquals(3, orders.partitions().size());
        } else if (body instanceof DescribeClusterResponseData cluster) {
            assertEquals(Errors.NONE.code(), cluster.errorCode());
            assertEquals(TestBroker.CLUSTER_ID, cluster.clusterId());
            assertEquals(TestBroker.CONTROLLER_ID, cluster.controllerId());
            assertEquals(2, cluster.brokers().size());
        } else if (body instanceof ProduceResponseData produce) {
            ProduceResponseData.PartitionProduceResponse p = produce.responses().iterator().next()
                    .partitionResponses().get(0);
            assertEquals(Errors.NONE.code(), p.errorCode(), p.errorMessage());
            assertEquals(0, p.baseOffset());
        } else if (body instanceof FetchResponseData fetch) {
            assertEquals(Errors.NONE.code(), fetch.errorCode());
            assertEquals(0, fetch.sessionId());
            FetchResponseData.PartitionData p = fetch.responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), p.errorCode());
            assertEquals(1, p.highWatermark());
            Record record = ((MemoryRecords) p.records()).records().iterator().next();
            assertEquals("fetched", StandardCharsets.UTF_8.decode(record.value()).toString());
        } else if (body instanceof ListOffsetsResponseData listOffsets) {
            ListOffsetsResponseData.ListOffsetsPartitionResponse p = listOffsets.topics().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), p.errorCode());
            assertEquals(0, p.offset());
        } else if (body instanceof CreateTopicsResponseData created) {
            CreateTopicsResponseData.CreatableTopicResult result = created.topics().iterator().next();
            assertEquals(Errors.NONE.code(), result.errorCode(), result.errorMessage());
        } else if (body instanceof DeleteTopicsResponseData deleted) {
            DeleteTopicsResponseData.DeletableTopicResult result = deleted.responses().iterator().next();
            assertEquals(Errors.NONE.code(), result.errorCode(), result.errorMessage());
            assertEquals("orphaned", result.name());
        } else if (body instanceof DeleteRecordsResponseData deleted) {
            DeleteRecordsResponseData.DeleteRecordsPartitionResult result = deleted.topics().iterator().next()
                    .partitions().iterator().next();
            assertEquals(Errors.NONE.code(), result.errorCode());
            assertEquals(0, result.lowWatermark());
        } else if (body instanceof InitProducerIdResponseData init) {
            assertEquals(Errors.NONE.code(), init.errorCode());
            assertTrue(init.producerId() >= 0);
        } else if (body instanceof DescribeConfigsResponseData described) {
            DescribeConfigsResponseData.DescribeConfigsResult result = described.results().get(0);
            assertEquals(Errors.NONE.code(), result.errorCode());
            assertTrue(result.configs().stream().anyMatch(c -> c.name().equals("retention.ms")));
        } else if (body instanceof AlterConfigsResponseData altered) {
            assertEquals(Errors.NONE.code(), altered.responses().get(0).errorCode());
        } else if (body instanceof IncrementalAlterConfigsResponseData altered) {
            assertEquals(Errors.NONE.code(), altered.responses().get(0).errorCode(),
                    altered.responses().get(0).errorMessage());
        } else if (body instanceof DescribeLogDirsResponseData logDirs) {
            assertEquals(Errors.NONE.code(), logDirs.errorCode());
            assertEquals(1, logDirs.results().size());
        } else if (body instanceof CreatePartitionsResponseData partitions) {
            assertEquals(Errors.NONE.code(), partitions.results().get(0).errorCode());
        } else {
            throw new AssertionError("unexpected response " + body);
        }
    }

    @Test
    void aTooNewApiVersionsRequestGetsUnsupportedVersionInV0AndTheClientCanRetry() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            // What a future client sends first: ApiVersions in a version this broker never heard of
            // (v99, laid out like v5: flexible header and body).
            byte[] frame = RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 5, 41, new ApiVersionsRequestData()
                    .setClientSoftwareName("future-client").setClientSoftwareVersion("9.9"));
            ByteBuffer.wrap(frame).putShort(6, (short) 99); // the version field, after size and api key
            client.sendRaw(frame);
            RawKafkaClient.Response fallback = client.read(ApiKeys.API_VERSIONS, (short) 0);

            assertEquals(41, fallback.correlationId());
            ApiVersionsResponseData data = (ApiVersionsResponseData) fallback.body();
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), data.errorCode());
            // KIP-511: the versions of ApiVersions itself, to pick the retry version from.
            assertEquals(Map.of(ApiKeys.API_VERSIONS.id, "0..5"), ranges(data));

            // The connection stays open: the client retries on it with the newest version offered.
            ApiVersionsResponseData retried = (ApiVersionsResponseData) client
                    .call(ApiKeys.API_VERSIONS, (short) 5, 42, RawKafkaClient.apiVersionsRequest()).body();
            assertEquals(Errors.NONE.code(), retried.errorCode());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws IOException {
        byte[] first = RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 3, 301, RawKafkaClient.apiVersionsRequest());
        byte[] second = RawKafkaClient.frame(ApiKeys.METADATA, (short) 12, 302, new MetadataRequestData().setTopics(null));
        byte[] third = RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 0, 303, RawKafkaClient.apiVersionsRequest());
        byte[] fourth = RawKafkaClient.frame(ApiKeys.DESCRIBE_CLUSTER, (short) 1, 304, new DescribeClusterRequestData());
        try (RawKafkaClient client = server.connect()) {
            // All four in one write, before reading anything.
            client.sendRaw(concat(first, second, third, fourth));

            RawKafkaClient.Response r1 = client.read(ApiKeys.API_VERSIONS, (short) 3);
            RawKafkaClient.Response r2 = client.read(ApiKeys.METADATA, (short) 12);
            RawKafkaClient.Response r3 = client.read(ApiKeys.API_VERSIONS, (short) 0);
            RawKafkaClient.Response r4 = client.read(ApiKeys.DESCRIBE_CLUSTER, (short) 1);

            assertEquals(List.of(301, 302, 303, 304), List.of(r1.correlationId(), r2.correlationId(),
                    r3.correlationId(), r4.correlationId()));
            assertTrue(r2.body() instanceof MetadataResponseData);
            assertTrue(r4.body() instanceof DescribeClusterResponseData);
        }
    }

    @Test
    void aV3RequestWithAnInvalidClientSoftwareNameGetsInvalidRequest() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            ApiVersionsResponseData response = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 3,
                    50, new ApiVersionsRequestData().setClientSoftwareName("no spaces allowed")
                            .setClientSoftwareVersion("1")).body();
            assertEquals(Errors.INVALID_REQUEST.code(), response.errorCode());
        }
    }

    @Test
    void aV5RequestMeantForAnotherNodeGetsRebootstrapRequired() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            ApiVersionsResponseData misrouted = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 5,
                    51, RawKafkaClient.apiVersionsRequest().setClusterId(TestBroker.CLUSTER_ID).setNodeId(7)).body();
            ApiVersionsResponseData routed = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 5,
                    52, RawKafkaClient.apiVersionsRequest().setClusterId(TestBroker.CLUSTER_ID)
                            .setNodeId(TestBroker.LOCAL_ID)).body();

            assertEquals(Errors.REBOOTSTRAP_REQUIRED.code(), misrouted.errorCode());
            assertEquals(Errors.NONE.code(), routed.errorCode());
        }
    }

    private static Map<Short, String> ranges(ApiVersionsResponseData response) {
        Map<Short, String> ranges = new TreeMap<>();
        for (ApiVersion api : response.apiKeys()) {
            ranges.put(api.apiKey(), api.minVersion() + ".." + api.maxVersion());
        }
        return ranges;
    }

    private static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }
}
