package io.cairn.protocol.kafka.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

import io.cairn.broker.spi.cluster.BrokerConfig;
import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.LogDirInfo;
import io.cairn.broker.spi.cluster.NewTopic;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.ProducerIdentity;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * A {@link LocalBroker} standing in for the kernel: broker 1 of cluster {@value #CLUSTER_ID},
 * listeners {@code PLAINTEXT} and {@code INTERNAL} on 127.0.0.1 with free ports, alone
 * ({@link #singleNode()}) or with a second live broker ({@link #twoNodes()}). Topics can be
 * created, altered and deleted; partitions this broker leads are hosted by {@link MemoryReplica}s.
 * Thread-safe (synchronized).
 */
final class TestBroker implements LocalBroker {

    private final Map<String, String> dynamicBrokerConfig = new TreeMap<>();

    static final String CLUSTER_ID = "cairn-test-cluster";
    static final int LOCAL_ID = 1;
    static final int REMOTE_ID = 2;
    static final int CONTROLLER_ID = 2;
    /** Small on purpose: the frame size limit is exercised around it. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Kafka's default {@code message.max.bytes}: 1 MiB plus the 12 bytes of a batch's log overhead. */
    static final int MESSAGE_MAX_BYTES = 1_048_588;

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

    /** Topic keys with their defaults: the ones the protocol bundle reads, and a few more. */
    private static final Map<String, String> TOPIC_DEFAULTS = topicDefaults();

    private final Config config;
    private final int controllerId;
    private final List<BrokerInfo> brokers;
    private final boolean fileSlices;
    private final Map<String, Hosted> topics = new TreeMap<>();
    private final AtomicInteger openRegions = new AtomicInteger();
    private final AtomicLong producerIds = new AtomicLong(1000);

    /** A topic with its overrides and the replicas this broker hosts. */
    private final class Hosted {
        TopicInfo info;
        final Map<String, String> overrides = new LinkedHashMap<>();
        final Map<Integer, MemoryReplica> replicas = new TreeMap<>();

        Hosted(TopicInfo info, Map<String, String> overrides) {
            this.overrides.putAll(overrides);
            grow(info);
        }

        /** Takes {@code grown} as the topic's partitions, hosting the new ones led here. */
        void grow(TopicInfo grown) {
            this.info = grown;
            for (PartitionState state : grown.partitions()) {
                if (state.leader() == LOCAL_ID && !replicas.containsKey(state.partition())) {
                    replicas.put(state.partition(), new MemoryReplica(grown.name(), state.partition(),
                            state.leaderEpoch(), this::effective, fileSlices, openRegions));
                }
            }
        }

        Map<String, String> effective() {
            synchronized (TestBroker.this) {
                Map<String, String> all = new LinkedHashMap<>(TOPIC_DEFAULTS);
                all.put("max.message.bytes", String.valueOf(config.messageMaxBytes()));
                all.putAll(overrides);
                return all;
            }
        }
    }

    private TestBroker(Config config, int controllerId, List<BrokerInfo> brokers, List<TopicInfo> initial,
            boolean fileSlices) {
        this.config = config;
        this.controllerId = controllerId;
        this.brokers = brokers;
        this.fileSlices = fileSlices;
        initial.forEach(topic -> topics.put(topic.name(), new Hosted(topic, Map.of())));
    }

    /**
     * Broker 1 and a live broker 2 (the controller). Broker 2 only has an endpoint named OTHER, so
     * clients are given it as the fallback; its host never resolves ({@code .invalid}) and no test
     * connects to it.
     */
    static TestBroker twoNodes() {
        Config config = defaultConfig(Map.of());
        BrokerInfo remote = new BrokerInfo(REMOTE_ID,
                List.of(new Endpoint("OTHER", "PLAINTEXT", "broker2.invalid", 9093)), "rack-b");
        return new TestBroker(config, CONTROLLER_ID,
                List.of(new BrokerInfo(LOCAL_ID, config.advertisedListeners(), "rack-a"), remote),
                List.of(OFFSETS, ORDERS, ORPHANED), true);
    }

    /** Broker 1 alone, controller of its cluster: what a real client can be pointed at. */
    static TestBroker singleNode() {
        return singleNode(Map.of(), true);
    }

    /**
     * Broker 1 alone with {@code overrides} of its configuration (e.g. a larger
     * {@code socket.request.max.bytes}, {@code auto.create.topics.enable=true}); reads hand out
     * {@link io.cairn.storage.spi.FileSlice}s (the sendfile path) if {@code fileSlices}, else only
     * {@code transferTo}.
     */
    static TestBroker singleNode(Map<String, String> overrides, boolean fileSlices) {
        Config config = defaultConfig(overrides);
        return new TestBroker(config, LOCAL_ID,
                List.of(new BrokerInfo(LOCAL_ID, config.advertisedListeners(), "rack-a")),
                List.of(OFFSETS, ORDERS_SINGLE), fileSlices);
    }

    private static Config defaultConfig(Map<String, String> overrides) {
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
        values.put("num.io.threads", "4");
        values.put("ssl.keystore.password", "secret");
        values.putAll(overrides);
        return new Config(LOCAL_ID, listeners, advertised, Integer.parseInt(values.get("socket.request.max.bytes")),
                Map.copyOf(values));
    }

    private static Map<String, String> topicDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("cleanup.policy", "delete");
        defaults.put("compression.type", "producer");
        defaults.put("retention.ms", "604800000");
        defaults.put("retention.bytes", "-1");
        defaults.put("segment.bytes", "1073741824");
        defaults.put("max.message.bytes", String.valueOf(MESSAGE_MAX_BYTES));
        defaults.put("message.timestamp.type", "CreateTime");
        defaults.put("min.insync.replicas", "1");
        return Map.copyOf(defaults);
    }

    /** This broker with other listeners, and the same topics (new, empty replicas). */
    synchronized TestBroker withListeners(List<Endpoint> listeners) {
        Config changed = new Config(config.brokerId(), listeners, config.advertisedListeners(),
                config.socketRequestMaxBytes(), config.asMap());
        return new TestBroker(changed, controllerId, brokers, topics.values().stream().map(h -> h.info).toList(),
                fileSlices);
    }

    /** Regions read and not yet released: must drop back to 0 once responses are written. */
    int openRegions() {
        return openRegions.get();
    }

    /** The hosted replica of a partition, for inspecting what was stored. */
    synchronized MemoryReplica replica(String topic, int partition) {
        return (MemoryReplica) partition(topic, partition);
    }

    @Override
    public BrokerConfig config() {
        return config;
    }

    @Override
    public synchronized ClusterView cluster() {
        return new Cluster(CLUSTER_ID, controllerId, brokers, topics.values().stream().map(h -> h.info).toList());
    }

    @Override
    public synchronized TopicInfo createTopic(NewTopic topic, boolean validateOnly) {
        try {
            Topic.validate(topic.name());
        } catch (InvalidTopicException e) {
            throw new BrokerException(BrokerError.INVALID_TOPIC_EXCEPTION, e.getMessage());
        }
        if (topics.containsKey(topic.name())) {
            throw new BrokerException(BrokerError.TOPIC_ALREADY_EXISTS, "Topic '" + topic.name() + "' already exists.");
        }
        validateConfigs(topic.configs());
        int count = topic.assignments().isEmpty()
                ? (topic.partitions() == -1 ? config.numPartitions() : topic.partitions())
                : topic.assignments().size();
        short factor = topic.replicationFactor() == -1 ? config.defaultReplicationFactor() : topic.replicationFactor();
        if (count <= 0) {
            throw new BrokerException(BrokerError.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        if (factor <= 0 || factor > brokers.size()) {
            throw new BrokerException(BrokerError.INVALID_REPLICATION_FACTOR, "Replication factor: " + factor
                    + " larger than available brokers: " + brokers.size() + ".");
        }
        List<PartitionState> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            List<Integer> replicas = topic.assignments().getOrDefault(p, List.of(LOCAL_ID));
            partitions.add(new PartitionState(p, replicas.get(0), 0, replicas, replicas));
        }
        TopicInfo info = new TopicInfo(topic.name(), UUID.randomUUID(), Topic.isInternal(topic.name()), partitions);
        if (!validateOnly) {
            topics.put(topic.name(), new Hosted(info, topic.configs()));
        }
        return info;
    }

    @Override
    public synchronized void deleteTopic(String name) {
        Hosted removed = topics.remove(name);
        if (removed == null) {
            throw new BrokerException(BrokerError.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition.");
        }
        removed.replicas.values().forEach(MemoryReplica::close);
    }

    @Override
    public synchronized void createPartitions(String topic, int totalCount, boolean validateOnly) {
        Hosted hosted = hosted(topic);
        int now = hosted.info.partitions().size();
        if (totalCount <= now) {
            throw new BrokerException(BrokerError.INVALID_PARTITIONS, "Topic currently has " + now
                    + " partitions, which is higher than the requested " + totalCount + ".");
        }
        if (validateOnly) {
            return;
        }
        List<PartitionState> partitions = new ArrayList<>(hosted.info.partitions());
        for (int p = now; p < totalCount; p++) {
            partitions.add(new PartitionState(p, LOCAL_ID, 0, List.of(LOCAL_ID), List.of(LOCAL_ID)));
        }
        hosted.grow(new TopicInfo(topic, hosted.info.topicId(), hosted.info.internal(), partitions));
    }

    @Override
    public synchronized List<ConfigEntry> describeTopicConfig(String topic) {
        Hosted hosted = hosted(topic);
        List<ConfigEntry> entries = new ArrayList<>();
        hosted.effective().forEach((key, value) -> entries.add(new ConfigEntry(key, value,
                hosted.overrides.containsKey(key) ? ConfigEntry.Source.DYNAMIC_TOPIC_CONFIG
                        : ConfigEntry.Source.DEFAULT_CONFIG, false)));
        return entries;
    }

    @Override
    public List<ConfigEntry> describeBrokerConfig() {
        List<ConfigEntry> entries = new ArrayList<>();
        new TreeMap<>(config.asMap()).forEach((key, value) -> entries.add(new ConfigEntry(key, value,
                ConfigEntry.Source.STATIC_BROKER_CONFIG, true)));
        return entries;
    }

    /** Like the kernel: only the offset store and group keys change while running. */
    @Override
    public synchronized void alterBrokerConfig(Map<String, Optional<String>> changes, boolean replace,
            boolean validateOnly) {
        List<String> refused = changes.keySet().stream()
                .filter(k -> !k.equals("cairn.offsets.store") && !k.startsWith("group.")).sorted().toList();
        if (!refused.isEmpty()) {
            throw new BrokerException(BrokerError.INVALID_REQUEST, "Cannot update these configs dynamically: " + refused);
        }
        if (!validateOnly) {
            if (replace) {
                dynamicBrokerConfig.clear();
            }
            changes.forEach((k, v) -> v.ifPresentOrElse(value -> dynamicBrokerConfig.put(k, value),
                    () -> dynamicBrokerConfig.remove(k)));
        }
    }

    /** The dynamic broker values set through {@link #alterBrokerConfig}. */
    synchronized Map<String, String> dynamicBrokerConfig() {
        return new TreeMap<>(dynamicBrokerConfig);
    }

    @Override
    public synchronized void alterTopicConfig(String topic, Map<String, Optional<String>> changes, boolean replace,
            boolean validateOnly) {
        Hosted hosted = hosted(topic);
        Map<String, String> next = replace ? new LinkedHashMap<>() : new LinkedHashMap<>(hosted.overrides);
        changes.forEach((key, value) -> {
            if (value.isPresent()) {
                next.put(key, value.get());
            } else {
                next.remove(key);
            }
        });
        validateConfigs(next);
        if (!validateOnly) {
            hosted.overrides.clear();
            hosted.overrides.putAll(next);
        }
    }

    private static void validateConfigs(Map<String, String> configs) {
        configs.forEach((key, value) -> {
            if (!TOPIC_DEFAULTS.containsKey(key)) {
                throw new BrokerException(BrokerError.INVALID_CONFIG, "Unknown topic config name: " + key);
            }
            boolean valid = switch (key) {
                case "cleanup.policy" -> !value.isEmpty()
                        && Set.of("delete", "compact").containsAll(List.of(value.split(",")));
                case "compression.type" -> Set.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd")
                        .contains(value);
                case "message.timestamp.type" -> Set.of("CreateTime", "LogAppendTime").contains(value);
                default -> value.matches("-?\\d+");
            };
            if (!valid) {
                throw new BrokerException(BrokerError.INVALID_CONFIG, "Invalid value " + value
                        + " for configuration " + key);
            }
        });
    }

    @Override
    public synchronized PartitionReplica partition(String topic, int partition) {
        Hosted hosted = topics.get(topic);
        if (hosted == null || partition < 0 || partition >= hosted.info.partitions().size()) {
            throw new BrokerException(BrokerError.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition.");
        }
        MemoryReplica replica = hosted.replicas.get(partition);
        if (replica == null) {
            throw new BrokerException(BrokerError.NOT_LEADER_OR_FOLLOWER, "Broker 1 does not lead " + topic + "-"
                    + partition);
        }
        return replica;
    }

    @Override
    public synchronized boolean autoCreateTopic(String name) {
        if (topics.containsKey(name)) {
            return true;
        }
        if (!config.autoCreateTopicsEnable()) {
            return false;
        }
        createTopic(new NewTopic(name, -1, (short) -1, Map.of(), Map.of()), false);
        return true;
    }

    @Override
    public synchronized List<LogDirInfo> logDirs() {
        List<LogDirInfo.Replica> replicas = new ArrayList<>();
        topics.values().forEach(hosted -> hosted.replicas.forEach((p, replica) -> replicas.add(
                new LogDirInfo.Replica(hosted.info.name(), p, replica.sizeInBytes(), 0))));
        return List.of(new LogDirInfo(config.logDirs().get(0).toString(), 1_000_000_000L, 500_000_000L, replicas));
    }

    @Override
    public ProducerIdentity newProducerId() {
        return new ProducerIdentity(producerIds.incrementAndGet(), (short) 0);
    }

    private Hosted hosted(String topic) {
        Hosted hosted = topics.get(topic);
        if (hosted == null) {
            throw new BrokerException(BrokerError.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + topic + " does not exist.");
        }
        return hosted;
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
            return Integer.parseInt(asMap.getOrDefault("num.partitions", "1"));
        }

        @Override
        public short defaultReplicationFactor() {
            return 1;
        }

        @Override
        public boolean autoCreateTopicsEnable() {
            return Boolean.parseBoolean(asMap.getOrDefault("auto.create.topics.enable", "false"));
        }

        @Override
        public int messageMaxBytes() {
            return Integer.parseInt(asMap.getOrDefault("message.max.bytes", String.valueOf(MESSAGE_MAX_BYTES)));
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
