package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What Metadata and DescribeCluster tell a client, from the cluster view of {@link TestBroker}:
 * endpoints chosen by the listener the request came in on, topics by name and by id, leaders that
 * are not live.
 */
class MetadataAndClusterTest {

    private static final short LATEST_METADATA = 13;

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.twoNodes());

    @Test
    void brokersAreAdvertisedWithTheEndpointOfTheListenerTheRequestCameIn() throws IOException {
        MetadataResponseData viaPlaintext = metadata(server.plaintext(), null);
        MetadataResponseData viaInternal = metadata(server.internal(), null);

        MetadataResponseBroker local = viaPlaintext.brokers().find(TestBroker.LOCAL_ID);
        assertEquals("127.0.0.1", local.host());
        assertEquals(server.plaintext().getPort(), local.port());
        assertEquals("rack-a", local.rack());
        MetadataResponseBroker localInternal = viaInternal.brokers().find(TestBroker.LOCAL_ID);
        assertEquals("localhost", localInternal.host());
        assertEquals(server.internal().getPort(), localInternal.port());
        // Broker 2 has neither listener: its first endpoint, on both.
        for (MetadataResponseData response : List.of(viaPlaintext, viaInternal)) {
            MetadataResponseBroker remote = response.brokers().find(TestBroker.REMOTE_ID);
            assertEquals("broker2.invalid", remote.host());
            assertEquals(9093, remote.port());
        }
        assertEquals(TestBroker.CLUSTER_ID, viaPlaintext.clusterId());
        assertEquals(TestBroker.CONTROLLER_ID, viaPlaintext.controllerId());
    }

    @Test
    void allTopicsIncludeInternalOnesWithTheirIdsAndPartitions() throws IOException {
        MetadataResponseData response = metadata(server.plaintext(), null);

        assertEquals(List.of("__consumer_offsets", "orders", "orphaned"),
                response.topics().stream().map(MetadataResponseTopic::name).toList());
        assertTrue(response.topics().find("__consumer_offsets").isInternal());
        MetadataResponseTopic orders = response.topics().find("orders");
        assertEquals(kafkaId(), orders.topicId());
        MetadataResponsePartition p1 = orders.partitions().get(1);
        assertEquals(1, p1.partitionIndex());
        assertEquals(TestBroker.REMOTE_ID, p1.leaderId());
        assertEquals(5, p1.leaderEpoch());
        assertEquals(List.of(2, 1), p1.replicaNodes());
        assertEquals(List.of(2, 1), p1.isrNodes());
        assertEquals(List.of(), p1.offlineReplicas());
        assertEquals(List.of(1), orders.partitions().get(2).isrNodes());
    }

    @Test
    void aPartitionWhoseLeaderIsNotLiveHasLeaderNotAvailable() throws IOException {
        MetadataResponseData response = metadata(server.plaintext(), List.of(byName("orphaned")));

        MetadataResponsePartition partition = response.topics().find("orphaned").partitions().get(0);
        assertEquals(Errors.LEADER_NOT_AVAILABLE.code(), partition.errorCode());
        assertEquals(-1, partition.leaderId());
        assertEquals(List.of(9), partition.offlineReplicas());
    }

    @Test
    void unknownTopicsAreAnsweredWithUnknownTopicOrPartitionNextToKnownOnes() throws IOException {
        MetadataResponseData response = metadata(server.plaintext(),
                List.of(byName("orders"), byName("missing"), byName("orders")));

        assertEquals(2, response.topics().size(), "orders asked twice is answered once");
        assertEquals(Errors.NONE.code(), response.topics().find("orders").errorCode());
        MetadataResponseTopic missing = response.topics().find("missing");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), missing.errorCode());
        assertTrue(missing.partitions().isEmpty());
    }

    @Test
    void anEmptyTopicListInV1AndLaterMeansNoTopics() throws IOException {
        MetadataResponseData response = metadata(server.plaintext(), List.of());

        assertTrue(response.topics().isEmpty());
        assertEquals(2, response.brokers().size());
    }

    @Test
    void topicsCanBeAskedForByIdInV12() throws IOException {
        Uuid unknown = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
        MetadataResponseData response = metadata(server.plaintext(), List.of(
                new MetadataRequestTopic().setName(null).setTopicId(kafkaId()),
                new MetadataRequestTopic().setName(null).setTopicId(unknown)));

        MetadataResponseTopic orders = response.topics().find("orders");
        assertEquals(kafkaId(), orders.topicId());
        assertEquals(3, orders.partitions().size());
        MetadataResponseTopic missing = response.topics().stream().filter(t -> t.name() == null).findFirst()
                .orElseThrow();
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), missing.errorCode());
        assertEquals(unknown, missing.topicId());
    }

    @Test
    void describeClusterListsLiveBrokersForTheListener() throws IOException {
        try (RawKafkaClient client = new RawKafkaClient(server.internal())) {
            DescribeClusterResponseData response = (DescribeClusterResponseData) client
                    .call(ApiKeys.DESCRIBE_CLUSTER, (short) 2, 1, new DescribeClusterRequestData()).body();

            assertEquals(Errors.NONE.code(), response.errorCode());
            assertNull(response.errorMessage());
            assertEquals(1, response.endpointType());
            assertEquals(TestBroker.CLUSTER_ID, response.clusterId());
            assertEquals(TestBroker.CONTROLLER_ID, response.controllerId());
            DescribeClusterResponseData.DescribeClusterBroker local = response.brokers().find(TestBroker.LOCAL_ID);
            assertEquals("localhost", local.host());
            assertEquals(server.internal().getPort(), local.port());
            assertFalse(local.isFenced());
            assertEquals("rack-b", response.brokers().find(TestBroker.REMOTE_ID).rack());
        }
    }

    @Test
    void describeClusterForControllersIsRefusedWithMismatchedEndpointType() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            DescribeClusterResponseData controllers = (DescribeClusterResponseData) client
                    .call(ApiKeys.DESCRIBE_CLUSTER, (short) 1, 1, new DescribeClusterRequestData().setEndpointType((byte) 2))
                    .body();
            DescribeClusterResponseData unknownType = (DescribeClusterResponseData) client
                    .call(ApiKeys.DESCRIBE_CLUSTER, (short) 1, 2, new DescribeClusterRequestData().setEndpointType((byte) 7))
                    .body();

            assertEquals(Errors.MISMATCHED_ENDPOINT_TYPE.code(), controllers.errorCode());
            assertEquals(Errors.UNSUPPORTED_ENDPOINT_TYPE.code(), unknownType.errorCode());
            assertTrue(controllers.brokers().isEmpty());
        }
    }

    private static MetadataRequestTopic byName(String name) {
        return new MetadataRequestTopic().setName(name);
    }

    private static Uuid kafkaId() {
        return new Uuid(TestBroker.ORDERS_ID.getMostSignificantBits(), TestBroker.ORDERS_ID.getLeastSignificantBits());
    }

    /** Metadata v13 for {@code topics} (null: all) through the listener at {@code address}. */
    private static MetadataResponseData metadata(InetSocketAddress address, List<MetadataRequestTopic> topics)
            throws IOException {
        try (RawKafkaClient client = new RawKafkaClient(address)) {
            return (MetadataResponseData) client.call(ApiKeys.METADATA, LATEST_METADATA, 1,
                    new MetadataRequestData().setTopics(topics)).body();
        }
    }
}
