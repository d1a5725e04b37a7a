package io.cairn.kernel.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerConfig;
import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.LogDirInfo;
import io.cairn.broker.spi.cluster.NewTopic;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.broker.spi.cluster.ProducerIdentity;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.metadata.MetadataException;
import io.cairn.broker.spi.metadata.MetadataException.Code;
import io.cairn.broker.spi.metadata.MetadataNode;
import io.cairn.broker.spi.metadata.MetadataStore;
import io.cairn.broker.spi.metadata.MetadataWatcher;

/**
 * This broker's membership in the cluster through one metadata store: the cluster id, the broker's
 * ephemeral registration, its bid for controller, and the {@link LocalBroker} service that front
 * ends use. Started and closed by {@link Kernel} on its worker thread; when the selected store is
 * replaced, the old session is closed and a new one started on the new store.
 *
 * <p>Thread-safety: {@link #start()}, {@link #close()} and {@link #electController()} run on the
 * kernel's worker; {@link #cluster()} is safe from any thread (a volatile cached snapshot, dropped
 * whenever a watched node changes).
 *
 * <p>The {@code LocalBroker} service is registered by hand (it exists only while a session does),
 * so the bundle declares the service capability itself: resolvers such as Karaf's then know that
 * the kernel satisfies the front ends' requirement on it.
 */
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"io.cairn.broker.spi.cluster.LocalBroker\"",
        uses = LocalBroker.class)
final class BrokerSession implements LocalBroker, MetadataWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSession.class);

    private final BundleContext context;
    private volatile KafkaBrokerConfig config;
    private final DynamicConfigUpdater dynamic;
    private final MetadataStore store;
    private final Executor worker;
    private final List<AutoCloseable> watches = new ArrayList<>();
    private final TopicController topics;
    private final ReplicaManager replicas;
    private final ProducerIds producerIds;
    private volatile ClusterSnapshot cached;
    private ServiceRegistration<LocalBroker> registration;
    private boolean controller;

    BrokerSession(BundleContext context, KafkaBrokerConfig config, MetadataStore store, Executor worker,
            PluginRegistry plugins, DynamicConfigUpdater dynamic) {
        this.context = context;
        this.dynamic = dynamic;
        this.config = config;
        this.store = store;
        this.worker = worker;
        this.topics = new TopicController(store, config);
        this.replicas = new ReplicaManager(config, plugins, topics);
        this.producerIds = new ProducerIds(store, config.brokerId());
    }

    /**
     * Takes a configuration that differs from the session's only in keys other components own
     * ({@link KafkaBrokerConfig#sameForKernel}), so that {@link #config()} and DescribeConfigs show
     * the current values. What the session built from its configuration is unaffected.
     */
    void reconfigured(KafkaBrokerConfig next) {
        if (!config.sameForKernel(next)) {
            throw new IllegalArgumentException("configuration change needs a new session");
        }
        config = next;
    }

    MetadataStore store() {
        return store;
    }

    void start() throws MetadataException {
        String clusterId = ensureClusterId();
        for (String path : List.of(ZkLayout.BROKER_IDS, ZkLayout.TOPICS, ZkLayout.CONTROLLER)) {
            watches.add(store.watch(path, this));
        }
        register();
        electController();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("broker.id", config.brokerId());
        props.put("cluster.id", clusterId);
        registration = context.registerService(LocalBroker.class, this, props);
        // Recovery of existing logs may take a while: do it beside the session, not in its way.
        Thread opener = new Thread(() -> replicas.openLedPartitions(cluster()), "cairn-log-recovery");
        opener.setDaemon(true);
        opener.start();
        LOG.info("Broker {} joined cluster {} (metadata store: {})", config.brokerId(), clusterId,
                config.metadataStoreName());
    }

    private String ensureClusterId() throws MetadataException {
        Optional<MetadataNode> existing = store.get(ZkLayout.CLUSTER_ID);
        if (existing.isEmpty()) {
            try {
                String id = ZkLayout.newClusterId();
                store.create(ZkLayout.CLUSTER_ID, ZkLayout.clusterId(id), false, true);
                LOG.info("Created cluster id {}", id);
                return id;
            } catch (MetadataException e) {
                if (e.code() != Code.NODE_EXISTS) {
                    throw e;
                }
                existing = store.get(ZkLayout.CLUSTER_ID);
            }
        }
        return String.valueOf(ZkLayout.object(existing.orElseThrow().data()).get("id"));
    }

    private void register() throws MetadataException {
        List<Endpoint> advertised = new ArrayList<>();
        for (Endpoint e : config.advertisedListeners()) {
            advertised.add(e.host().isEmpty() ? new Endpoint(e.listenerName(), e.securityProtocol(), canonicalHost(),
                    e.port()) : e);
        }
        String rack = config.get("broker.rack").orElse(null);
        try {
            store.create(ZkLayout.brokerPath(config.brokerId()),
                    ZkLayout.brokerRegistration(advertised, rack, System.currentTimeMillis()), true, true);
        } catch (MetadataException e) {
            if (e.code() == Code.NODE_EXISTS) {
                throw new IllegalStateException("broker.id " + config.brokerId()
                        + " is already registered by a live broker (" + e.path() + ")", e);
            }
            throw e;
        }
    }

    /**
     * Advertised host of a listener bound to every interface: the canonical host name, as Kafka
     * advertises it.
     */
    private static String canonicalHost() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Bids for controller: whoever creates the ephemeral {@code /controller} first is it. */
    void electController() {
        if (controller) {
            return;
        }
        try {
            store.create(ZkLayout.CONTROLLER, ZkLayout.controller(config.brokerId(), System.currentTimeMillis()),
                    true, false);
        } catch (MetadataException e) {
            if (e.code() != Code.NODE_EXISTS) {
                LOG.warn("Controller election failed: {}", e.getMessage());
            }
            return;
        }
        controller = true;
        try {
            int epoch = bumpControllerEpoch();
            LOG.info("Broker {} is the controller (epoch {})", config.brokerId(), epoch);
        } catch (MetadataException e) {
            LOG.warn("Could not advance /controller_epoch: {}", e.getMessage());
        }
    }

    private int bumpControllerEpoch() throws MetadataException {
        while (true) {
            Optional<MetadataNode> node = store.get(ZkLayout.CONTROLLER_EPOCH);
            try {
                if (node.isEmpty()) {
                    store.create(ZkLayout.CONTROLLER_EPOCH, "1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            false, false);
                    return 1;
                }
                int next = Integer.parseInt(new String(node.get().data(), java.nio.charset.StandardCharsets.UTF_8)
                        .trim()) + 1;
                store.setData(ZkLayout.CONTROLLER_EPOCH,
                        Integer.toString(next).getBytes(java.nio.charset.StandardCharsets.UTF_8), node.get().version());
                return next;
            } catch (MetadataException e) {
                if (e.code() != Code.NODE_EXISTS && e.code() != Code.BAD_VERSION) {
                    throw e;
                }
                // another broker wrote first: read again and retry
            }
        }
    }

    @Override
    public void changed(String path, Event event) {
        cached = null;
        if (path.equals(ZkLayout.CONTROLLER) && event == Event.DELETED) {
            worker.execute(this::electController);
        }
    }

    /** Leaves the cluster: withdraws the service, the registration and the controller role. */
    void close() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        for (AutoCloseable w : watches) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("Closing watch failed", e);
            }
        }
        watches.clear();
        replicas.close();
        deleteQuietly(ZkLayout.brokerPath(config.brokerId()));
        if (controller) {
            deleteQuietly(ZkLayout.CONTROLLER);
            controller = false;
        }
        LOG.info("Broker {} left the cluster", config.brokerId());
    }

    private void deleteQuietly(String path) {
        try {
            store.delete(path, MetadataStore.ANY_VERSION);
        } catch (MetadataException | RuntimeException e) {
            LOG.debug("Could not delete {}: {}", path, e.toString());
        }
    }

    @Override
    public BrokerConfig config() {
        return config;
    }

    @Override
    public ClusterView cluster() {
        ClusterSnapshot snapshot = cached;
        if (snapshot == null) {
            try {
                snapshot = ClusterSnapshot.read(store);
            } catch (MetadataException e) {
                throw new IllegalStateException("metadata store unavailable: " + e.getMessage(), e);
            }
            cached = snapshot;
        }
        return snapshot;
    }

    @Override
    public TopicInfo createTopic(NewTopic topic, boolean validateOnly) {
        TopicInfo created = topics.create(topic, cluster(), validateOnly);
        cached = null;
        return created;
    }

    @Override
    public void deleteTopic(String name) {
        TopicInfo topic = cluster().topic(name).orElseThrow(() -> new BrokerException(
                BrokerError.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition."));
        topics.delete(name, cluster());
        cached = null;
        replicas.deleteLocal(name, topic.partitions().size());
    }

    @Override
    public void createPartitions(String topic, int totalCount, boolean validateOnly) {
        topics.createPartitions(topic, totalCount, cluster(), validateOnly);
        cached = null;
    }

    @Override
    public List<ConfigEntry> describeTopicConfig(String topic) {
        requireTopic(topic);
        return TopicConfigs.describe(config.asMap(), topics.overrides(topic));
    }

    @Override
    public List<ConfigEntry> describeBrokerConfig() {
        List<ConfigEntry> out = new ArrayList<>();
        Map<String, String> defaults = KafkaDefaults.VALUES;
        Map<String, String> dynamicValues = dynamic.values();
        // The dynamic values are read from their file, which a change writes before it returns;
        // the configuration reaches this session a moment later.
        Map<String, String> values = new TreeMap<>(config.asMap());
        values.putAll(dynamicValues);
        values.forEach((k, v) -> {
            boolean isDefault = defaults.containsKey(k) && defaults.get(k).equals(v);
            ConfigEntry.Source source = dynamicValues.containsKey(k) ? ConfigEntry.Source.DYNAMIC_BROKER_CONFIG
                    : isDefault ? ConfigEntry.Source.DEFAULT_CONFIG : ConfigEntry.Source.STATIC_BROKER_CONFIG;
            out.add(new ConfigEntry(k, v, source, !DynamicBrokerConfig.isDynamic(k)));
        });
        return out;
    }

    @Override
    public void alterBrokerConfig(Map<String, Optional<String>> changes, boolean replace, boolean validateOnly) {
        dynamic.alter(changes, replace, validateOnly);
    }

    @Override
    public void alterTopicConfig(String topic, Map<String, Optional<String>> changes, boolean replace,
            boolean validateOnly) {
        requireTopic(topic);
        topics.alterConfig(topic, changes, replace, validateOnly);
        if (!validateOnly) {
            replicas.configChanged(topic);
        }
    }

    private void requireTopic(String topic) {
        if (cluster().topic(topic).isEmpty()) {
            throw new BrokerException(BrokerError.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + topic + " does not exist.");
        }
    }

    @Override
    public PartitionReplica partition(String topic, int partition) {
        return replicas.partition(topic, partition, cluster());
    }

    @Override
    public boolean autoCreateTopic(String name) {
        if (cluster().topic(name).isPresent()) {
            return true;
        }
        if (!config.autoCreateTopicsEnable()) {
            return false;
        }
        try {
            createTopic(new NewTopic(name, -1, (short) -1, Map.of(), Map.of()), false);
        } catch (BrokerException e) {
            if (e.error() != BrokerError.TOPIC_ALREADY_EXISTS) {
                throw e;
            }
        }
        return true;
    }

    @Override
    public List<LogDirInfo> logDirs() {
        return replicas.logDirs();
    }

    @Override
    public ProducerIdentity newProducerId() {
        return producerIds.next();
    }
}
