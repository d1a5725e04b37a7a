package io.cairn.kernel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.ack.AckStrategy;
import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LogDirInfo;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.StorageEngine;
import io.cairn.storage.spi.TopicPartition;

/**
 * The partitions this broker hosts: opens each one's log through the storage engine its topic
 * selects ({@code cairn.storage.engine}), keeps them open, applies retention every
 * {@code log.retention.check.interval.ms}, and closes or deletes them as topics change.
 *
 * <p>Thread-safety: the hosted map is concurrent; opening a partition happens once, under the map's
 * per-key computation. Retention runs on its own single thread.
 */
final class ReplicaManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    private final KafkaBrokerConfig config;
    private final PluginRegistry plugins;
    private final TopicController topics;
    private final Map<TopicPartition, HostedPartition> hosted = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retention;

    ReplicaManager(KafkaBrokerConfig config, PluginRegistry plugins, TopicController topics) {
        this.config = config;
        this.plugins = plugins;
        this.topics = topics;
        this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-retention");
            t.setDaemon(true);
            return t;
        });
        long interval = Long.parseLong(config.get("log.retention.check.interval.ms").orElse("300000"));
        retention.scheduleWithFixedDelay(this::enforceRetention, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The hosted partition, opening its log on first use. */
    HostedPartition partition(String topic, int partition, ClusterView cluster) {
        TopicInfo info = cluster.topic(topic).orElseThrow(() -> new BrokerException(
                BrokerError.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition."));
        if (partition < 0 || partition >= info.partitions().size()) {
            throw new BrokerException(BrokerError.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition.");
        }
        PartitionState state = info.partitions().get(partition);
        if (state.leader() != config.brokerId()) {
            throw new BrokerException(BrokerError.NOT_LEADER_OR_FOLLOWER, "Broker " + config.brokerId()
                    + " is not the leader of " + topic + "-" + partition + " (leader: " + state.leader() + ")");
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        return hosted.computeIfAbsent(tp, key -> open(key, state.leaderEpoch()));
    }

    private HostedPartition open(TopicPartition tp, int leaderEpoch) {
        Map<String, String> effective = TopicConfigs.effective(config.asMap(), topics.overrides(tp.topic()));
        String engineName = effective.get("cairn.storage.engine");
        StorageEngine engine;
        try {
            engine = plugins.await(StorageEngine.class, engineName, config.pluginWaitMs());
        } catch (PluginUnavailableException e) {
            throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(BrokerError.REQUEST_TIMED_OUT, "Interrupted while waiting for a storage engine");
        }
        Path dir = directoryFor(tp);
        try {
            PartitionLog log = engine.open(tp, dir, LogConfig.of(effective));
            if (log.latestEpoch().orElse(-1) < leaderEpoch) {
                log.assignEpochStartOffset(leaderEpoch, log.logEndOffset());
            }
            LOG.info("Opened {} with storage engine '{}' in {}: offsets [{}, {})", tp, engineName, dir,
                    log.logStartOffset(), log.logEndOffset());
            return new HostedPartition(tp.topic(), tp.partition(), leaderEpoch, log, effective, this::ackStrategy,
                    System::currentTimeMillis);
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not open {} in {}", tp, dir, e);
            throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, "Could not open " + tp + ": " + e.getMessage(), e);
        }
    }

    private AckStrategy ackStrategy(String name) {
        try {
            return plugins.await(AckStrategy.class, name, config.pluginWaitMs());
        } catch (PluginUnavailableException e) {
            throw new BrokerException(BrokerError.REQUEST_TIMED_OUT, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(BrokerError.REQUEST_TIMED_OUT, "Interrupted while waiting for ack strategy " + name);
        }
    }

    /** An existing directory for the partition, else the log dir holding the fewest partitions (as Kafka picks). */
    private Path directoryFor(TopicPartition tp) {
        Path best = null;
        long fewest = Long.MAX_VALUE;
        for (Path dir : config.logDirs()) {
            Path candidate = dir.resolve(tp.directoryName());
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            long count;
            try (var s = Files.list(dir)) {
                count = s.filter(Files::isDirectory).count();
            } catch (IOException e) {
                count = 0;
            }
            if (count < fewest) {
                fewest = count;
                best = candidate;
            }
        }
        return best;
    }

    /** Opens every partition this broker leads, so recovery and retention happen at start, not on first use. */
    void openLedPartitions(ClusterView cluster) {
        for (TopicInfo t : cluster.topics()) {
            for (PartitionState p : t.partitions()) {
                if (p.leader() == config.brokerId()) {
                    try {
                        partition(t.name(), p.partition(), cluster);
                    } catch (BrokerException e) {
                        LOG.warn("Partition {}-{} stays offline: {}", t.name(), p.partition(), e.getMessage());
                    }
                }
            }
        }
    }

    /** Closes and deletes the local data of a deleted topic. */
    void deleteLocal(String topic, int partitions) {
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            HostedPartition h = hosted.remove(tp);
            try {
                if (h != null) {
                    h.log().delete();
                } else {
                    for (Path dir : config.logDirs()) {
                        deleteTree(dir.resolve(tp.directoryName()));
                    }
                }
            } catch (IOException e) {
                LOG.warn("Could not delete the data of {}: {}", tp, e.toString());
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Hands changed topic overrides to the open partitions of a topic. */
    void configChanged(String topic) {
        Map<String, String> effective = TopicConfigs.effective(config.asMap(), topics.overrides(topic));
        hosted.forEach((tp, h) -> {
            if (tp.topic().equals(topic)) {
                h.updateConfig(effective);
                h.log().updateConfig(LogConfig.of(effective));
            }
        });
    }

    Optional<HostedPartition> hostedPartition(String topic, int partition) {
        return Optional.ofNullable(hosted.get(new TopicPartition(topic, partition)));
    }

    List<LogDirInfo> logDirs() {
        List<LogDirInfo> out = new ArrayList<>();
        for (Path dir : config.logDirs()) {
            List<LogDirInfo.Replica> replicas = new ArrayList<>();
            hosted.forEach((tp, h) -> {
                if (Files.isDirectory(dir.resolve(tp.directoryName()))) {
                    replicas.add(new LogDirInfo.Replica(tp.topic(), tp.partition(), h.sizeInBytes(), 0));
                }
            });
            long total = dir.toFile().getTotalSpace();
            long usable = dir.toFile().getUsableSpace();
            out.add(new LogDirInfo(dir.toString(), total == 0 ? -1 : total, total == 0 ? -1 : usable, replicas));
        }
        return out;
    }

    private void enforceRetention() {
        long now = System.currentTimeMillis();
        hosted.forEach((tp, h) -> {
            try {
                h.enforceRetention(now);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Retention of {} failed: {}", tp, e.toString());
            }
        });
    }

    @Override
    public void close() {
        retention.shutdownNow();
        hosted.forEach((tp, h) -> {
            try {
                h.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Closing {} failed: {}", tp, e.toString());
            }
        });
        hosted.clear();
    }
}
