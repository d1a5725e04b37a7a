package io.cairn.offsets.topic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.NewTopic;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;
import io.cairn.storage.spi.LogReadResult;

/**
 * Offsets in the internal topic {@code __consumer_offsets} ({@code cairn.name=topic}), in Kafka's
 * own key/value format ({@link OffsetMessages}), so that they are stored — and, once replication
 * exists, replicated — like any partition, and Kafka's tools can read the topic.
 *
 * <p>A group's offsets live in partition {@code abs(groupId.hashCode()) % partitions}, as in Kafka.
 * A commit is one uncompressed batch appended with {@code acks=all} (all-or-nothing: a batch is
 * appended whole or not at all); a deletion is a batch of tombstones. On activation the topic is
 * created if missing ({@code offsets.topic.num.partitions}, 50; replication
 * {@code offsets.topic.replication.factor}, 3, capped at the live brokers;
 * {@code cleanup.policy=compact}) and read from start to high watermark, keeping the latest value
 * per key — on the first call rather than at activation, so that a broker that never selects this
 * store does not get the topic. The latest values are then kept in memory for fetches.
 *
 * <p>The topic is created as Kafka creates it: {@code cleanup.policy=compact} and
 * {@code segment.bytes} from {@code offsets.topic.segment.bytes} (100 MiB), so that the storage
 * engine's log cleaner keeps about one record per key once a segment rolls; tombstones of deleted
 * offsets go after the topic's {@code delete.retention.ms}. {@code retention.ms} and
 * {@code retention.bytes} are -1, so no engine deletes offsets by age or size.
 *
 * <p>Thread-safe: the in-memory view is guarded by {@code this}; appends of one group never run
 * concurrently (the coordinator's ordering rule), appends of different groups may.
 */
@Component(service = OffsetStore.class, configurationPid = "io.cairn.broker",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = OffsetStore.NAME_PROPERTY + "=topic")
public final class TopicOffsetStore implements OffsetStore {

    private static final Logger LOG = LoggerFactory.getLogger(TopicOffsetStore.class);

    static final String TOPIC = "__consumer_offsets";
    /** Bytes read per call while loading. */
    private static final int READ_BYTES = 1024 * 1024;

    private final LocalBroker broker;
    private final long timeoutMs;
    private final int wantedPartitions;
    private final short wantedReplicationFactor;
    /** {@code segment.bytes} of the topic when this store creates it. */
    private int segmentBytes;
    private final Map<String, Map<PartitionKey, CommittedOffset>> groups = new HashMap<>();
    /** Partitions of the topic once it is created and loaded; 0 before the first call. */
    private int partitions;

    @Activate
    public TopicOffsetStore(@Reference LocalBroker broker, Map<String, Object> config) {
        this(broker, (int) number(config, "offsets.topic.num.partitions", 50),
                (short) number(config, "offsets.topic.replication.factor", 3),
                number(config, "offsets.commit.timeout.ms", 5000));
        this.segmentBytes = (int) number(config, "offsets.topic.segment.bytes", 104_857_600);
    }

    TopicOffsetStore(LocalBroker broker, int numPartitions, short replicationFactor, long timeoutMs) {
        this.segmentBytes = 104_857_600;
        this.broker = broker;
        this.timeoutMs = timeoutMs;
        this.wantedPartitions = numPartitions;
        this.wantedReplicationFactor = replicationFactor;
    }

    /**
     * Creates and loads the topic on the first call, not at activation: the store is offered in
     * every broker, and a broker that never selects it should not get a 50-partition topic.
     */
    private synchronized void ensureLoaded() throws IOException {
        if (partitions > 0) {
            return;
        }
        int n = ensureTopic(wantedPartitions, wantedReplicationFactor);
        long records = 0;
        for (int p = 0; p < n; p++) {
            records += load(p);
        }
        partitions = n;
        LOG.info("Topic offset store: {} groups from {} records in {} partitions of {}", groups.size(), records,
                partitions, TOPIC);
    }

    @Modified
    void modified(Map<String, Object> config) {
        // Nothing to change while running: partition count and replication are fixed at creation.
    }

    private int ensureTopic(int numPartitions, short replicationFactor) throws IOException {
        Optional<TopicInfo> existing = broker.cluster().topic(TOPIC);
        if (existing.isPresent()) {
            return existing.get().partitions().size();
        }
        short rf = (short) Math.max(1, Math.min(replicationFactor, broker.cluster().brokers().size()));
        try {
            TopicInfo created = broker.createTopic(new NewTopic(TOPIC, numPartitions, rf, Map.of(),
                    Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(segmentBytes),
                            // compact alone already exempts the log from retention; these say so to
                            // any engine that applies retention whatever the policy.
                            "retention.ms", "-1", "retention.bytes", "-1")), false);
            LOG.info("Created {} with {} partitions, replication factor {}", TOPIC, numPartitions, rf);
            return created.partitions().size();
        } catch (BrokerException e) {
            if (e.error() == BrokerError.TOPIC_ALREADY_EXISTS) {
                return broker.cluster().topic(TOPIC).orElseThrow(() -> new IOException(TOPIC + " vanished")).partitions()
                        .size();
            }
            throw new IOException("Cannot create " + TOPIC + ": " + e.getMessage(), e);
        }
    }

    /** Reads one partition from its start to the high watermark into the in-memory view. Holds this. */
    private long load(int partition) throws IOException {
        PartitionReplica replica = replica(partition);
        long offset = replica.logStartOffset();
        long end = replica.highWatermark();
        long n = 0;
        while (offset < end) {
            LogReadResult read = replica.read(offset, READ_BYTES, end);
            try {
                if (read.sizeInBytes() == 0) {
                    break;
                }
                long[] next = {offset};
                for (RecordBatches.Read r : RecordBatches.records(read.copyToHeap(), next)) {
                    apply(r.key(), r.value());
                    n++;
                }
                if (next[0] <= offset) {
                    break;
                }
                offset = next[0];
            } finally {
                read.release();
            }
        }
        return n;
    }

    private synchronized void apply(ByteBuffer key, ByteBuffer value) {
        Optional<OffsetMessages.Key> k = OffsetMessages.readKey(key);
        if (k.isEmpty()) {
            return;
        }
        String group = k.get().group();
        PartitionKey pk = new PartitionKey(k.get().topic(), k.get().partition());
        if (value == null) {
            Map<PartitionKey, CommittedOffset> g = groups.get(group);
            if (g != null) {
                g.remove(pk);
                if (g.isEmpty()) {
                    groups.remove(group);
                }
            }
            return;
        }
        OffsetMessages.readValue(k.get(), value)
                .ifPresent(o -> groups.computeIfAbsent(group, x -> new HashMap<>()).put(pk, o));
    }

    /** Kafka's {@code partitionFor}: {@code Utils.abs(groupId.hashCode()) % partitions}. */
    int partitionFor(String groupId) throws IOException {
        ensureLoaded();
        int h = groupId.hashCode();
        return (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % partitions;
    }

    private PartitionReplica replica(int partition) throws IOException {
        try {
            return broker.partition(TOPIC, partition);
        } catch (BrokerException e) {
            throw new IOException(TOPIC + "-" + partition + " is not available here: " + e.getMessage(), e);
        }
    }

    private void append(String groupId, List<RecordBatches.KeyValue> records) throws IOException {
        ByteBuffer batch = RecordBatches.batch(records, System.currentTimeMillis());
        try {
            replica(partitionFor(groupId)).append(batch, (short) -1, timeoutMs).toCompletableFuture()
                    .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("Append to " + TOPIC + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Append to " + TOPIC + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while appending to " + TOPIC, e);
        }
    }

    @Override
    public void commit(String groupId, Collection<CommittedOffset> offsets) throws IOException {
        ensureLoaded();
        if (offsets.isEmpty()) {
            return;
        }
        List<RecordBatches.KeyValue> records = new ArrayList<>();
        for (CommittedOffset o : offsets) {
            records.add(new RecordBatches.KeyValue(OffsetMessages.key(groupId, o.topic(), o.partition()),
                    OffsetMessages.value(o)));
        }
        append(groupId, records);
        synchronized (this) {
            Map<PartitionKey, CommittedOffset> g = groups.computeIfAbsent(groupId, x -> new HashMap<>());
            offsets.forEach(o -> g.put(o.key(), o));
        }
    }

    @Override
    public synchronized List<CommittedOffset> fetch(String groupId) throws IOException {
        ensureLoaded();
        return new ArrayList<>(groups.getOrDefault(groupId, Map.of()).values());
    }

    @Override
    public synchronized Set<String> groups() throws IOException {
        ensureLoaded();
        return new TreeSet<>(groups.keySet());
    }

    @Override
    public void delete(String groupId, Collection<PartitionKey> partitions) throws IOException {
        ensureLoaded();
        List<PartitionKey> present;
        synchronized (this) {
            Map<PartitionKey, CommittedOffset> g = groups.getOrDefault(groupId, Map.of());
            present = partitions.stream().filter(g::containsKey).toList();
        }
        tombstones(groupId, present);
    }

    @Override
    public void deleteGroup(String groupId) throws IOException {
        ensureLoaded();
        List<PartitionKey> present;
        synchronized (this) {
            present = List.copyOf(groups.getOrDefault(groupId, Map.of()).keySet());
        }
        tombstones(groupId, present);
    }

    private void tombstones(String groupId, List<PartitionKey> keys) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        List<RecordBatches.KeyValue> records = new ArrayList<>();
        for (PartitionKey k : keys) {
            records.add(new RecordBatches.KeyValue(OffsetMessages.key(groupId, k.topic(), k.partition()), null));
        }
        append(groupId, records);
        synchronized (this) {
            Map<PartitionKey, CommittedOffset> g = groups.get(groupId);
            if (g != null) {
                keys.forEach(g::remove);
                if (g.isEmpty()) {
                    groups.remove(groupId);
                }
            }
        }
    }

    private static long number(Map<String, ?> config, String key, long fallback) {
        Object v = config.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'");
        }
    }
}
