package io.cairn.kernel.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.NewTopic;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.metadata.MetadataException;
import io.cairn.broker.spi.metadata.MetadataNode;
import io.cairn.broker.spi.metadata.MetadataStore;

/**
 * Topic administration written into the metadata tree in Kafka's layout: assignment under
 * {@code /brokers/topics/<t>}, partition state under {@code .../partitions/<p>/state}, overrides
 * under {@code /config/topics/<t>}. Replicas are assigned round-robin over the live brokers from a
 * random start, as Kafka's rack-unaware assignment does; the first replica leads.
 *
 * <p>Thread-safety: creation races are settled by the store (the assignment node is created once,
 * the loser gets {@code TOPIC_ALREADY_EXISTS}); other methods are safe to call concurrently.
 */
final class TopicController {

    private static final Logger LOG = LoggerFactory.getLogger(TopicController.class);
    private static final String CONFIG_TOPICS = "/config/topics";

    private final MetadataStore store;
    private final KafkaBrokerConfig config;

    TopicController(MetadataStore store, KafkaBrokerConfig config) {
        this.store = store;
        this.config = config;
    }

    TopicInfo create(NewTopic spec, ClusterView cluster, boolean validateOnly) {
        TopicNames.validate(spec.name());
        if (cluster.topic(spec.name()).isPresent()) {
            throw new BrokerException(BrokerError.TOPIC_ALREADY_EXISTS, "Topic '" + spec.name() + "' already exists.");
        }
        TopicConfigs.validate(spec.configs());
        Map<Integer, List<Integer>> assignment = assignment(spec, cluster);
        UUID id = UUID.randomUUID();
        List<PartitionState> states = new ArrayList<>();
        assignment.forEach((p, replicas) -> states.add(new PartitionState(p, replicas.get(0), 0, replicas, replicas)));
        TopicInfo info = new TopicInfo(spec.name(), id, spec.name().startsWith("__"), states);
        if (validateOnly) {
            return info;
        }
        try {
            writeConfig(spec.name(), spec.configs(), -2);
            store.create(ZkLayout.topicPath(spec.name()), ZkLayout.topicAssignment(id, assignment), false, true);
            for (PartitionState s : states) {
                writeState(spec.name(), s, controllerEpoch());
            }
        } catch (MetadataException e) {
            if (e.code() == MetadataException.Code.NODE_EXISTS && e.path().equals(ZkLayout.topicPath(spec.name()))) {
                throw new BrokerException(BrokerError.TOPIC_ALREADY_EXISTS, "Topic '" + spec.name() + "' already exists.");
            }
            throw unavailable(e);
        }
        LOG.info("Created topic {} with {} partitions, replication factor {}", spec.name(), assignment.size(),
                assignment.values().iterator().next().size());
        return info;
    }

    private Map<Integer, List<Integer>> assignment(NewTopic spec, ClusterView cluster) {
        List<Integer> live = cluster.brokers().stream().map(BrokerInfo::id).toList();
        if (!spec.assignments().isEmpty()) {
            if (spec.partitions() != -1 || spec.replicationFactor() != -1) {
                throw new BrokerException(BrokerError.INVALID_REQUEST,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            Map<Integer, List<Integer>> explicit = new TreeMap<>(spec.assignments());
            int expected = 0;
            for (Map.Entry<Integer, List<Integer>> e : explicit.entrySet()) {
                if (e.getKey() != expected++) {
                    throw new BrokerException(BrokerError.INVALID_REPLICA_ASSIGNMENT,
                            "Partitions should be a consecutive 0-based integer sequence");
                }
                if (e.getValue().isEmpty() || e.getValue().stream().distinct().count() != e.getValue().size()) {
                    throw new BrokerException(BrokerError.INVALID_REPLICA_ASSIGNMENT,
                            "Duplicate or missing replicas in assignment of partition " + e.getKey());
                }
                if (!live.containsAll(e.getValue())) {
                    throw new BrokerException(BrokerError.INVALID_REPLICA_ASSIGNMENT,
                            "Replica assignment " + e.getValue() + " names brokers that are not registered");
                }
            }
            return explicit;
        }
        int partitions = spec.partitions() == -1 ? config.numPartitions() : spec.partitions();
        int rf = spec.replicationFactor() == -1 ? config.defaultReplicationFactor() : spec.replicationFactor();
        if (partitions <= 0) {
            throw new BrokerException(BrokerError.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        if (rf <= 0) {
            throw new BrokerException(BrokerError.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0.");
        }
        if (rf > live.size()) {
            throw new BrokerException(BrokerError.INVALID_REPLICATION_FACTOR, "Replication factor: " + rf
                    + " larger than available brokers: " + live.size() + ".");
        }
        return spread(0, partitions, rf, live, (int) (Math.random() * live.size()));
    }

    /** Round-robin assignment of partitions {@code [from, to)}: partition p starts at broker (start + p). */
    private static Map<Integer, List<Integer>> spread(int from, int to, int rf, List<Integer> live, int start) {
        Map<Integer, List<Integer>> out = new TreeMap<>();
        for (int p = from; p < to; p++) {
            List<Integer> replicas = new ArrayList<>();
            for (int r = 0; r < rf; r++) {
                replicas.add(live.get((start + p + r) % live.size()));
            }
            out.put(p, replicas);
        }
        return out;
    }

    void delete(String name, ClusterView cluster) {
        TopicInfo topic = cluster.topic(name).orElseThrow(() -> new BrokerException(
                BrokerError.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition."));
        if (!Boolean.parseBoolean(config.get("delete.topic.enable").orElse("true"))) {
            throw new BrokerException(BrokerError.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
        }
        try {
            for (PartitionState p : topic.partitions()) {
                String partition = ZkLayout.topicPath(name) + "/partitions/" + p.partition();
                deleteIfPresent(partition + "/state");
                deleteIfPresent(partition);
            }
            deleteIfPresent(ZkLayout.topicPath(name) + "/partitions");
            deleteIfPresent(ZkLayout.topicPath(name));
            deleteIfPresent(CONFIG_TOPICS + "/" + name);
        } catch (MetadataException e) {
            throw unavailable(e);
        }
        LOG.info("Deleted topic {}", name);
    }

    void createPartitions(String name, int total, ClusterView cluster, boolean validateOnly) {
        TopicInfo topic = cluster.topic(name).orElseThrow(() -> new BrokerException(
                BrokerError.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition."));
        int now = topic.partitions().size();
        if (total <= now) {
            throw new BrokerException(BrokerError.INVALID_PARTITIONS, total == now
                    ? "Topic already has " + now + " partitions."
                    : "Topic currently has " + now + " partitions, which is higher than the requested " + total + ".");
        }
        List<Integer> live = cluster.brokers().stream().map(BrokerInfo::id).toList();
        int rf = topic.partitions().get(0).replicas().size();
        if (rf > live.size()) {
            throw new BrokerException(BrokerError.INVALID_REPLICATION_FACTOR,
                    "Replication factor " + rf + " larger than available brokers: " + live.size());
        }
        if (validateOnly) {
            return;
        }
        Map<Integer, List<Integer>> all = new TreeMap<>();
        topic.partitions().forEach(p -> all.put(p.partition(), p.replicas()));
        Map<Integer, List<Integer>> added = spread(now, total, rf, live, (int) (Math.random() * live.size()));
        all.putAll(added);
        try {
            MetadataNode node = store.get(ZkLayout.topicPath(name)).orElseThrow(() -> new BrokerException(
                    BrokerError.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + name + " disappeared"));
            store.setData(ZkLayout.topicPath(name), ZkLayout.topicAssignment(topic.topicId(), all), node.version());
            int epoch = controllerEpoch();
            for (Map.Entry<Integer, List<Integer>> e : added.entrySet()) {
                writeState(name, new PartitionState(e.getKey(), e.getValue().get(0), 0, e.getValue(), e.getValue()), epoch);
            }
        } catch (MetadataException e) {
            throw unavailable(e);
        }
        LOG.info("Topic {} now has {} partitions", name, total);
    }

    /** The topic's configuration overrides, from {@code /config/topics/<t>}. */
    @SuppressWarnings("unchecked")
    Map<String, String> overrides(String topic) {
        try {
            Optional<MetadataNode> node = store.get(CONFIG_TOPICS + "/" + topic);
            Map<String, String> out = new TreeMap<>();
            if (node.isPresent()) {
                Map<String, Object> doc = ZkLayout.object(node.get().data());
                ((Map<String, Object>) doc.getOrDefault("config", Map.of())).forEach((k, v) -> out.put(k, String.valueOf(v)));
            }
            return out;
        } catch (MetadataException e) {
            throw unavailable(e);
        }
    }

    void alterConfig(String topic, Map<String, Optional<String>> changes, boolean replace, boolean validateOnly) {
        Map<String, String> next = replace ? new TreeMap<>() : new TreeMap<>(overrides(topic));
        changes.forEach((k, v) -> {
            if (v.isPresent()) {
                next.put(k, v.get());
            } else {
                next.remove(k);
            }
        });
        TopicConfigs.validate(next);
        if (validateOnly) {
            return;
        }
        try {
            int version = store.get(CONFIG_TOPICS + "/" + topic).map(MetadataNode::version).orElse(-2);
            writeConfig(topic, next, version);
        } catch (MetadataException e) {
            throw unavailable(e);
        }
        LOG.info("Topic {} configuration overrides now {}", topic, next);
    }

    /** Writes {@code /config/topics/<t>}; version -2 means create. */
    private void writeConfig(String topic, Map<String, String> overrides, int version) throws MetadataException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 1);
        doc.put("config", new TreeMap<>(overrides));
        byte[] data = ZkLayout.bytes(doc);
        String path = CONFIG_TOPICS + "/" + topic;
        if (version == -2) {
            try {
                store.create(path, data, false, true);
                return;
            } catch (MetadataException e) {
                if (e.code() != MetadataException.Code.NODE_EXISTS) {
                    throw e;
                }
                // left over from a topic deleted half-way: overwrite it
            }
            version = MetadataStore.ANY_VERSION;
        }
        store.setData(path, data, version);
    }

    private void writeState(String topic, PartitionState s, int controllerEpoch) throws MetadataException {
        store.create(ZkLayout.partitionStatePath(topic, s.partition()),
                ZkLayout.partitionState(controllerEpoch, s.leader(), s.leaderEpoch(), s.isr()), false, true);
    }

    private int controllerEpoch() throws MetadataException {
        return store.get(ZkLayout.CONTROLLER_EPOCH)
                .map(n -> Integer.parseInt(new String(n.data(), StandardCharsets.UTF_8).trim())).orElse(0);
    }

    private void deleteIfPresent(String path) throws MetadataException {
        try {
            store.delete(path, MetadataStore.ANY_VERSION);
        } catch (MetadataException e) {
            if (e.code() != MetadataException.Code.NO_NODE) {
                throw e;
            }
        }
    }

    private static BrokerException unavailable(MetadataException e) {
        return new BrokerException(BrokerError.UNKNOWN_SERVER_ERROR, "Metadata store failure: " + e.getMessage(), e);
    }
}
