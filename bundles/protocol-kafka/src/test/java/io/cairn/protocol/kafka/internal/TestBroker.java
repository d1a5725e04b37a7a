package io.cairn.protocol.kafka.internal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.cairn.broker.spi.cluster.BrokerConfig;
import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * A {@link LocalBroker} made of plain values, standing in for the kernel: broker 1 of cluster
 * {@value #CLUSTER_ID}, listeners {@code PLAINTEXT} and {@code INTERNAL} on 127.0.0.1 with free
 * ports, alone ({@link #singleNode()}) or with a second live broker ({@link #twoNodes()}).
 */
final class TestBroker implements LocalBroker {

    static final String CLUSTER_ID = "cairn-test-cluster";
    static final int LOCAL_ID = 1;
    static final int REMOTE_ID = 2;
    static final int CONTROLLER_ID = 2;
    /** Small on purpose: the frame size limit is exercised around it. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    static final UUID ORDERS_ID = UUID.fromString("6f1d2c43-2b8e-4f58-9d1a-0e7c5a1b2c3d");
    /** Three partitions: leaders 1, 2, 1. */
    static final TopicInfo ORDERS = new TopicInfo("orders", ORDERS_ID, false, List.of(
            new PartitionState(0, LOCAL_ID, 3, List.of(1, 2), List.of(1, 2)),
            new PartitionState(1, REMOTE_ID, 5, List.of(2, 1), List.of(2, 1)),
            new PartitionState(2, LOCAL_ID, 0, List.of(1, 2), List.of(1))));
    /** One partition whose leader, broker 9, is not live. */
    static final TopicInfo ORPHANED = new TopicInfo("orphaned", UUID.fromString("00000000-0000-0000-0000-0000000000aa"),
            false, List.of(new PartitionState(0, 9, 1, List.of(9, 1), List.of(9))));
    static final TopicInfo OFFSETS = new TopicInfo("__consumer_offsets",
            UUID.fromString("00000000-0000-0000-0000-0000000000bb"), true,
            List.of(new PartitionState(0, LOCAL_ID, 0, List.of(1), List.of(1))));

    /** Broker 1 alone: every partition led by it. */
    static final TopicInfo ORDERS_SINGLE = new TopicInfo("orders", ORDERS_ID, false, List.of(
            new PartitionState(0, LOCAL_ID, 3, List.of(1), List.of(1)),
            new PartitionState(1, LOCAL_ID, 5, List.of(1), List.of(1)),
            new PartitionState(2, LOCAL_ID, 0, List.of(1), List.of(1))));

    private final Config config;
    private final Cluster cluster;

    private TestBroker(Config config, Cluster cluster) {
        this.config = config;
        this.cluster = cluster;
    }

    /**
     * Broker 1 and a live broker 2 (the controller). Broker 2 only has an endpoint named OTHER, so
     * clients are given it as the fallback; its host never resolves ({@code .invalid}) and no test
     * connects to it.
     */
    static TestBroker twoNodes() {
        Config config = defaultConfig();
        BrokerInfo remote = new BrokerInfo(REMOTE_ID,
                List.of(new Endpoint("OTHER", "PLAINTEXT", "broker2.invalid", 9093)), "rack-b");
        return new TestBroker(config, new Cluster(CLUSTER_ID, CONTROLLER_ID,
                List.of(new BrokerInfo(LOCAL_ID, config.advertisedListeners(), "rack-a"), remote),
                List.of(OFFSETS, ORDERS, ORPHANED)));
    }

    /** Broker 1 alone, controller of its cluster: what a real client can be pointed at. */
    static TestBroker singleNode() {
        Config config = defaultConfig();
        return new TestBroker(config, new Cluster(CLUSTER_ID, LOCAL_ID,
                List.of(new BrokerInfo(LOCAL_ID, config.advertisedListeners(), "rack-a")),
                List.of(OFFSETS, ORDERS_SINGLE)));
    }

    private static Config defaultConfig() {
        List<Endpoint> listeners = List.of(
                new Endpoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 0),
                new Endpoint("INTERNAL", "PLAINTEXT", "127.0.0.1", 0));
        // Advertised: INTERNAL as "localhost" so that a test can tell which endpoint was chosen;
        // ports 0 are filled in by the protocol bundle with the bound ports.
        List<Endpoint> advertised = List.of(
                new Endpoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 0),
                new Endpoint("INTERNAL", "PLAINTEXT", "localhost", 0));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("broker.id", String.valueOf(LOCAL_ID));
        values.put("socket.request.max.bytes", String.valueOf(MAX_REQUEST_BYTES));
        values.put("num.network.threads", "2");
        return new Config(LOCAL_ID, listeners, advertised, MAX_REQUEST_BYTES, Map.copyOf(values));
    }

    @Override
    public BrokerConfig config() {
        return config;
    }

    @Override
    public ClusterView cluster() {
        return cluster;
    }

    /** The configuration: the values the protocol bundle reads, Kafka's defaults for the rest. */
    record Config(int brokerId, List<Endpoint> listeners, List<Endpoint> advertisedListeners,
            int socketRequestMaxBytes, Map<String, String> asMap) implements BrokerConfig {

        @Override
        public List<Path> logDirs() {
            return List.of(Path.of("/nonexistent/cairn-test-logs"));
        }

        @Override
        public int numPartitions() {
            return 1;
        }

        @Override
        public short defaultReplicationFactor() {
            return 1;
        }

        @Override
        public boolean autoCreateTopicsEnable() {
            return false;
        }

        @Override
        public int messageMaxBytes() {
            return 1_048_588;
        }

        @Override
        public int minInsyncReplicas() {
            return 1;
        }

        @Override
        public Optional<String> zookeeperConnect() {
            return Optional.empty();
        }

        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(asMap.get(key));
        }
    }

    /** A fixed cluster snapshot. */
    record Cluster(String clusterId, int controllerId, List<BrokerInfo> brokerList, List<TopicInfo> topicList)
            implements ClusterView {

        @Override
        public Collection<BrokerInfo> brokers() {
            return brokerList;
        }

        @Override
        public Optional<BrokerInfo> broker(int id) {
            return brokerList.stream().filter(b -> b.id() == id).findFirst();
        }

        @Override
        public Collection<TopicInfo> topics() {
            return topicList;
        }

        @Override
        public Optional<TopicInfo> topic(String name) {
            return topicList.stream().filter(t -> t.name().equals(name)).findFirst();
        }
    }
}
