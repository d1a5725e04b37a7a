package io.cairn.kernel.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.metadata.MetadataException;
import io.cairn.broker.spi.metadata.MetadataNode;
import io.cairn.broker.spi.metadata.MetadataStore;

/**
 * An immutable picture of the cluster read from the metadata tree. A node that cannot be parsed
 * (written by something else) is logged and left out rather than failing every request.
 */
final class ClusterSnapshot implements ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSnapshot.class);

    private final String clusterId;
    private final int controllerId;
    private final Map<Integer, BrokerInfo> brokers;
    private final Map<String, TopicInfo> topics;

    private ClusterSnapshot(String clusterId, int controllerId, Map<Integer, BrokerInfo> brokers,
            Map<String, TopicInfo> topics) {
        this.clusterId = clusterId;
        this.controllerId = controllerId;
        this.brokers = brokers;
        this.topics = topics;
    }

    /** Reads the current tree. */
    static ClusterSnapshot read(MetadataStore store) throws MetadataException {
        String clusterId = store.get(ZkLayout.CLUSTER_ID)
                .map(n -> String.valueOf(ZkLayout.object(n.data()).get("id"))).orElse("");
        int controller = store.get(ZkLayout.CONTROLLER)
                .map(n -> ((Number) ZkLayout.object(n.data()).get("brokerid")).intValue()).orElse(-1);
        Map<Integer, BrokerInfo> brokers = new TreeMap<>();
        for (String id : childrenOrEmpty(store, ZkLayout.BROKER_IDS)) {
            Optional<MetadataNode> node = store.get(ZkLayout.BROKER_IDS + "/" + id);
            if (node.isEmpty()) {
                continue;
            }
            try {
                brokers.put(Integer.parseInt(id), ZkLayout.parseBroker(Integer.parseInt(id), node.get().data()));
            } catch (RuntimeException e) {
                LOG.warn("Ignoring unreadable broker registration {}: {}", node.get().path(), e.toString());
            }
        }
        Map<String, TopicInfo> topics = new TreeMap<>();
        for (String name : childrenOrEmpty(store, ZkLayout.TOPICS)) {
            Optional<MetadataNode> node = store.get(ZkLayout.topicPath(name));
            if (node.isEmpty()) {
                continue;
            }
            try {
                topics.put(name, readTopic(store, name, node.get()));
            } catch (RuntimeException e) {
                LOG.warn("Ignoring unreadable topic {}: {}", node.get().path(), e.toString());
            }
        }
        return new ClusterSnapshot(clusterId, controller, brokers, topics);
    }

    @SuppressWarnings("unchecked")
    private static TopicInfo readTopic(MetadataStore store, String name, MetadataNode node) throws MetadataException {
        Map<String, Object> doc = ZkLayout.object(node.data());
        Object id = doc.get("topic_id");
        UUID topicId = id == null ? new UUID(0, 0) : ZkLayout.parseKafkaUuid(id.toString());
        Map<String, Object> assignment = (Map<String, Object>) doc.getOrDefault("partitions", Map.of());
        Map<Integer, PartitionState> partitions = new TreeMap<>();
        for (Map.Entry<String, Object> e : assignment.entrySet()) {
            int p = Integer.parseInt(e.getKey());
            List<Integer> replicas = ZkLayout.intList(e.getValue());
            Optional<MetadataNode> state = store.get(ZkLayout.partitionStatePath(name, p));
            partitions.put(p, state.isPresent()
                    ? ZkLayout.parsePartitionState(p, replicas, state.get().data())
                    : new PartitionState(p, -1, 0, replicas, List.of()));
        }
        return new TopicInfo(name, topicId, name.startsWith("__"), new ArrayList<>(partitions.values()));
    }

    private static List<String> childrenOrEmpty(MetadataStore store, String path) throws MetadataException {
        try {
            return store.children(path);
        } catch (MetadataException e) {
            if (e.code() == MetadataException.Code.NO_NODE) {
                return List.of();
            }
            throw e;
        }
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public int controllerId() {
        return controllerId;
    }

    @Override
    public Collection<BrokerInfo> brokers() {
        return brokers.values();
    }

    @Override
    public Optional<BrokerInfo> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    @Override
    public Collection<TopicInfo> topics() {
        return topics.values();
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }
}
