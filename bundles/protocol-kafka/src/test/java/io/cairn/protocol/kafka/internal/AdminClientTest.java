package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance check, with the real oracle: kafka-clients' {@link Admin} (4.4) against
 * the listener, negotiating versions through ApiVersions as it does against Kafka.
 */
class AdminClientTest {

    /** Bounds every Admin call; a broker on loopback answers in milliseconds. */
    private static final long TIMEOUT_S = 20;

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.singleNode());

    private Admin admin;

    @BeforeEach
    void createAdmin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "cairn-admin-test");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        admin = Admin.create(props);
    }

    @AfterEach
    void closeAdmin() {
        admin.close(Duration.ofSeconds(5));
    }

    @Test
    void describeClusterReturnsClusterIdControllerAndTheAdvertisedNode() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();

        assertEquals(TestBroker.CLUSTER_ID, cluster.clusterId().get(TIMEOUT_S, TimeUnit.SECONDS));
        Node controller = cluster.controller().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(TestBroker.LOCAL_ID, controller.id());
        Collection<Node> nodes = cluster.nodes().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(1, nodes.size());
        Node node = nodes.iterator().next();
        assertEquals(TestBroker.LOCAL_ID, node.id());
        assertEquals("127.0.0.1", node.host());
        assertEquals(server.plaintext().getPort(), node.port(), "advertised port 0 is the bound port");
        assertEquals("rack-a", node.rack());
    }

    @Test
    void listTopicsShowsTheClusterViewsTopics() throws Exception {
        Set<String> visible = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
        Set<String> withInternal = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(TIMEOUT_S, TimeUnit.SECONDS);

        assertEquals(Set.of("orders"), visible);
        assertEquals(Set.of("orders", "__consumer_offsets"), withInternal);
    }

    @Test
    void describeTopicsShowsPartitionsLeadersAndReplicas() throws Exception {
        Map<String, TopicDescription> described = admin.describeTopics(List.of("orders")).allTopicNames()
                .get(TIMEOUT_S, TimeUnit.SECONDS);

        TopicDescription orders = described.get("orders");
        assertFalse(orders.isInternal());
        Uuid expectedId = new Uuid(TestBroker.ORDERS_ID.getMostSignificantBits(),
                TestBroker.ORDERS_ID.getLeastSignificantBits());
        assertEquals(expectedId, orders.topicId());
        assertEquals(3, orders.partitions().size());
        for (TopicPartitionInfo partition : orders.partitions()) {
            assertEquals(TestBroker.LOCAL_ID, partition.leader().id(), "leader of " + partition);
            assertEquals(server.plaintext().getPort(), partition.leader().port());
            assertEquals(List.of(TestBroker.LOCAL_ID), partition.replicas().stream().map(Node::id).toList());
            assertEquals(List.of(TestBroker.LOCAL_ID), partition.isr().stream().map(Node::id).toList());
        }
    }

    @Test
    void describingAnUnknownTopicFailsWithUnknownTopic() {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> admin.describeTopics(List.of("no-such-topic")).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure.getCause());
    }
}
