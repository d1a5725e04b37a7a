package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every admin API of the issue through kafka-clients 4.4's {@link Admin}, which picks versions
 * from ApiVersions and maps error codes to its exceptions as it does against Kafka; plus the legacy
 * AlterConfigs and a transactional InitProducerId on the wire (the 4.x Admin no longer sends them).
 */
class AdminApisTest {

    private static final long TIMEOUT_S = 15;

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.singleNode());

    private Admin admin;

    @BeforeEach
    void createAdmin() {
        admin = Clients.admin(server);
    }

    @AfterEach
    void closeAdmin() {
        admin.close(Duration.ofSeconds(5));
    }

    private static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static Throwable failure(KafkaFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(TIMEOUT_S, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void createTopicsAnswersPerTopicWithConfigsAndIds() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(
                new NewTopic("payments", 4, (short) 1).configs(Map.of("retention.ms", "3600000")),
                new NewTopic("orders", 1, (short) 1),
                new NewTopic("bad name", 1, (short) 1),
                new NewTopic("bad-config", 1, (short) 1).configs(Map.of("no.such.key", "1")),
                new NewTopic("too-many-replicas", 1, (short) 3)));

        assertEquals(4, get(result.numPartitions("payments")));
        assertEquals(1, get(result.replicationFactor("payments")));
        assertEquals(TopicIds.toKafka(server.broker().cluster().topic("payments").orElseThrow().topicId()),
                get(result.topicId("payments")));
        Config config = get(result.config("payments"));
        assertEquals("3600000", config.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, config.get("retention.ms").source());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("cleanup.policy").source());
        assertInstanceOf(TopicExistsException.class, failure(result.values().get("orders")));
        assertInstanceOf(InvalidTopicException.class, failure(result.values().get("bad name")));
        assertInstanceOf(InvalidConfigurationException.class, failure(result.values().get("bad-config")));
        assertInstanceOf(org.apache.kafka.common.errors.InvalidReplicationFactorException.class,
                failure(result.values().get("too-many-replicas")));
    }

    @Test
    void validateOnlyChecksWithoutCreating() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("dry-run", 2, (short) 1),
                new NewTopic("orders", 1, (short) 1)), new CreateTopicsOptions().validateOnly(true));

        assertEquals(2, get(result.numPartitions("dry-run")));
        assertInstanceOf(TopicExistsException.class, failure(result.values().get("orders")));
        assertFalse(server.broker().cluster().topic("dry-run").isPresent());
    }

    @Test
    void deleteTopicsByNameAndById() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("by-name", 1, (short) 1), new NewTopic("by-id", 1, (short) 1)))
                .all());
        Uuid id = get(admin.describeTopics(List.of("by-id")).allTopicNames()).get("by-id").topicId();

        get(admin.deleteTopics(TopicCollection.ofTopicNames(List.of("by-name"))).all());
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());

        Set<String> left = get(admin.listTopics().names());
        assertFalse(left.contains("by-name"));
        assertFalse(left.contains("by-id"));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.deleteTopics(TopicCollection.ofTopicNames(List.of("by-name"))).all()));
        assertInstanceOf(UnknownTopicIdException.class,
                failure(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).all()));
    }

    @Test
    void describeTopicsById() throws Exception {
        Uuid id = TopicIds.toKafka(TestBroker.ORDERS_ID);
        TopicDescription orders = get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds())
                .get(id);
        assertEquals("orders", orders.name());
        assertEquals(3, orders.partitions().size());
    }

    @Test
    void createPartitionsGrowsATopicAndRefusesToShrinkIt() throws Exception {
        get(admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(5))).all());

        assertEquals(5, get(admin.describeTopics(List.of("orders")).allTopicNames()).get("orders").partitions().size());
        assertInstanceOf(InvalidPartitionsException.class,
                failure(admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(2))).all()));
        assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.createPartitions(Map.of("missing", NewPartitions.increaseTo(2))).all()));
        // Partitions added can be produced to at once.
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            assertEquals(4, producer.send(new ProducerRecord<>("orders", 4, null, "v".getBytes())).get(10,
                    TimeUnit.SECONDS).partition());
        }
    }

    @Test
    void describeConfigsOfATopicAndOfThisBroker() throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(TestBroker.LOCAL_ID));
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(List.of(topic, broker),
                new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true)).all());

        ConfigEntry retention = configs.get(topic).get("retention.ms");
        assertEquals("604800000", retention.value());
        assertEquals(ConfigEntry.ConfigType.LONG, retention.type());
        assertNotNull(retention.documentation());
        assertFalse(retention.synonyms().isEmpty());
        ConfigEntry password = configs.get(broker).get("ssl.keystore.password");
        assertTrue(password.isSensitive());
        assertNull(password.value(), "sensitive values are not shown");
        assertEquals(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, configs.get(broker).get("broker.id").source());

        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(admin.describeConfigs(List.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "missing"))).all()));
        assertInstanceOf(InvalidTopicException.class, failure(admin.describeConfigs(List.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "bad name"))).all()));
    }

    @Test
    void incrementalAlterConfigsSetsDeletesAppendsAndSubtracts() throws Exception {
        ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
        get(admin.incrementalAlterConfigs(Map.of(orders, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all());
        Config afterSet = get(admin.describeConfigs(List.of(orders)).all()).get(orders);
        assertEquals("1000", afterSet.get("retention.ms").value());
        assertEquals("delete,compact", afterSet.get("cleanup.policy").value());

        get(admin.incrementalAlterConfigs(Map.of(orders, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT)))).all());
        Config afterDelete = get(admin.describeConfigs(List.of(orders)).all()).get(orders);
        assertEquals("604800000", afterDelete.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, afterDelete.get("retention.ms").source());
        assertEquals("compact", afterDelete.get("cleanup.policy").value());

        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(orders,
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.APPEND)))).all()));
        assertInstanceOf(InvalidConfigurationException.class, failure(admin.incrementalAlterConfigs(Map.of(orders,
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))).all()));
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(TestBroker.LOCAL_ID));
        Throwable brokerChange = failure(admin.incrementalAlterConfigs(Map.of(broker, List.of(new AlterConfigOp(
                new ConfigEntry("log.retention.ms", "1"), AlterConfigOp.OpType.SET)))).all());
        assertInstanceOf(InvalidRequestException.class, brokerChange);
        assertTrue(brokerChange.getMessage().contains("Cannot update these configs dynamically"));

        get(admin.incrementalAlterConfigs(Map.of(broker, List.of(new AlterConfigOp(
                new ConfigEntry("cairn.offsets.store", "topic"), AlterConfigOp.OpType.SET)))).all());
        assertEquals(Map.of("cairn.offsets.store", "topic"), server.broker().dynamicBrokerConfig());
        get(admin.incrementalAlterConfigs(Map.of(broker, List.of(new AlterConfigOp(
                new ConfigEntry("cairn.offsets.store", null), AlterConfigOp.OpType.DELETE)))).all());
        assertEquals(Map.of(), server.broker().dynamicBrokerConfig());
        Throwable clusterDefault = failure(admin.incrementalAlterConfigs(Map.of(
                new ConfigResource(ConfigResource.Type.BROKER, ""), List.of(new AlterConfigOp(
                        new ConfigEntry("cairn.offsets.store", "topic"), AlterConfigOp.OpType.SET)))).all());
        assertInstanceOf(InvalidRequestException.class, clusterDefault);
    }

    @Test
    void legacyAlterConfigsReplacesAllOverridesAndRefusesBrokerChanges() throws Exception {
        server.broker().alterTopicConfig("orders", Map.of("retention.ms", Optional.of("1000")), false, false);
        AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
        configs.add(new AlterConfigsRequestData.AlterableConfig().setName("cleanup.policy").setValue("compact"));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
                .setResourceName("orders").setConfigs(configs));
        AlterConfigsRequestData.AlterableConfigCollection brokerConfigs = new AlterConfigsRequestData.AlterableConfigCollection();
        brokerConfigs.add(new AlterConfigsRequestData.AlterableConfig().setName("num.io.threads").setValue("2"));
        resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(ConfigResource.Type.BROKER.id())
                .setResourceName("1").setConfigs(brokerConfigs));
        try (RawKafkaClient client = server.connect()) {
            AlterConfigsResponseData response = (AlterConfigsResponseData) client.call(ApiKeys.ALTER_CONFIGS, (short) 2,
                    1, new AlterConfigsRequestData().setResources(resources)).body();

            assertEquals(Errors.NONE.code(), response.responses().get(0).errorCode());
            assertEquals(Errors.INVALID_REQUEST.code(), response.responses().get(1).errorCode());
        }
        Map<String, String> effective = server.broker().replica("orders", 0).config();
        assertEquals("compact", effective.get("cleanup.policy"));
        assertEquals("604800000", effective.get("retention.ms"), "the override not named was removed");
    }

    @Test
    void deleteRecordsMovesTheLowWatermarkAndListOffsetsFollows() throws Exception {
        long base = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("orders", 0, base + i * 1000, null, ("v" + i).getBytes()));
            }
            // Out of order on purpose: the largest timestamp is not the last record.
            producer.send(new ProducerRecord<>("orders", 0, base + 99_000, null, "max".getBytes()));
            producer.send(new ProducerRecord<>("orders", 0, base + 10_000, null, "last".getBytes()));
            producer.flush();
        }
        TopicPartition p0 = new TopicPartition("orders", 0);

        assertEquals(0, offset(OffsetSpec.earliest(), p0).offset());
        assertEquals(12, offset(OffsetSpec.latest(), p0).offset());
        assertEquals(3, offset(OffsetSpec.forTimestamp(base + 2500), p0).offset());
        assertEquals(base + 3000, offset(OffsetSpec.forTimestamp(base + 2500), p0).timestamp());
        assertEquals(-1, offset(OffsetSpec.forTimestamp(base + 200_000), p0).offset());
        ListOffsetsResult.ListOffsetsResultInfo max = offset(OffsetSpec.maxTimestamp(), p0);
        assertEquals(10, max.offset());
        assertEquals(base + 99_000, max.timestamp());

        assertEquals(5, get(admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(5))).lowWatermarks()
                .get(p0)).lowWatermark());
        assertEquals(5, offset(OffsetSpec.earliest(), p0).offset());
        assertInstanceOf(OffsetOutOfRangeException.class,
                failure(admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(100))).all()));
    }

    @Test
    void deleteRecordsOfACompactedTopicIsAPolicyViolation() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("compacted", 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")))).all());
        assertInstanceOf(PolicyViolationException.class, failure(admin.deleteRecords(Map.of(
                new TopicPartition("compacted", 0), RecordsToDelete.beforeOffset(0))).all()));
    }

    private ListOffsetsResult.ListOffsetsResultInfo offset(OffsetSpec spec, TopicPartition partition) throws Exception {
        return get(admin.listOffsets(Map.of(partition, spec)).partitionResult(partition));
    }

    @Test
    void describeLogDirsListsEveryHostedReplica() throws Exception {
        Map<Integer, Map<String, LogDirDescription>> dirs = get(admin.describeLogDirs(List.of(TestBroker.LOCAL_ID))
                .allDescriptions());

        LogDirDescription dir = dirs.get(TestBroker.LOCAL_ID).get("/nonexistent/cairn-test-logs");
        assertNotNull(dir, "dirs: " + dirs);
        assertEquals(1_000_000_000L, dir.totalBytes().orElseThrow());
        Collection<TopicPartition> replicas = dir.replicaInfos().keySet();
        assertTrue(replicas.containsAll(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 2))));
    }

    @Test
    void aTransactionalIdIsRefusedAndAnIdempotentProducerGetsAnId() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            InitProducerIdResponseData transactional = (InitProducerIdResponseData) client.call(
                    ApiKeys.INIT_PRODUCER_ID, (short) 4, 1, new InitProducerIdRequestData().setTransactionalId("txn")
                            .setTransactionTimeoutMs(60_000)).body();
            InitProducerIdResponseData idempotent = (InitProducerIdResponseData) client.call(
                    ApiKeys.INIT_PRODUCER_ID, (short) 4, 2, new InitProducerIdRequestData().setTransactionalId(null)
                            .setTransactionTimeoutMs(60_000)).body();

            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), transactional.errorCode());
            assertEquals(-1, transactional.producerId());
            assertEquals(Errors.NONE.code(), idempotent.errorCode());
            assertTrue(idempotent.producerId() > 0);
            assertEquals(0, idempotent.producerEpoch());
        }
    }
}
