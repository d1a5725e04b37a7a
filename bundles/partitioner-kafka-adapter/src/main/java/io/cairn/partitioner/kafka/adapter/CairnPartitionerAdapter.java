package io.cairn.partitioner.kafka.adapter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigException;

import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;

/**
 * Runs a Cairn {@link Partitioner} inside a plain Java Kafka producer, so that records a Java
 * application sends land where Cairn's own paths (HTTP, console tools, in-process producer) would
 * put them. Producer configuration:
 *
 * <pre>
 * partitioner.class=io.cairn.partitioner.kafka.adapter.CairnPartitionerAdapter
 * cairn.partitioner.class=io.cairn.partitioner.roundrobin.internal.RoundRobinPartitioner
 * </pre>
 *
 * with this jar, {@code partitioner-spi} and the jar of the named partitioner on the classpath. The
 * named class needs a public no-argument constructor; it gets no configuration (a plugin's OSGi
 * configuration does not exist outside the broker), so it runs with its defaults. The class is
 * loaded as Kafka loads its own plugins: through the thread's context class loader, else this
 * jar's.
 *
 * <p>What the Cairn partitioner sees: topic, key and value bytes as serialized, and the topic's
 * partitions with their leaders from the producer's metadata. It sees no headers, because
 * kafka-clients' {@code Partitioner} interface does not pass them, and never a named partition,
 * because the producer places such records itself without asking a partitioner — so an
 * {@code explicit} partitioner here refuses every record that reaches it, which makes a producer
 * that forgets a partition fail loudly.
 *
 * <p>A {@link PartitionerException} becomes a {@link KafkaException} with the same message, thrown
 * from {@code send}. Thread-safe as the Cairn partitioner is: the producer calls
 * {@link #partition} from every thread that sends.
 */
public final class CairnPartitionerAdapter implements org.apache.kafka.clients.producer.Partitioner {

    /** The producer setting naming the Cairn partitioner class. */
    public static final String PARTITIONER_CLASS_CONFIG = "cairn.partitioner.class";

    private volatile Partitioner partitioner;
    private volatile String name;
    /** The partitions of each topic, rebuilt only when the producer's metadata changes. */
    private final ConcurrentMap<String, TopicPartitions> topics = new ConcurrentHashMap<>();

    private record TopicPartitions(Cluster cluster, List<PartitionInfo> partitions) {
    }

    /** For {@code partitioner.class}: the partitioner comes from {@value #PARTITIONER_CLASS_CONFIG}. */
    public CairnPartitionerAdapter() {
    }

    /**
     * For code that builds its producer itself (or a {@code MockProducer}): runs this partitioner,
     * and {@link #configure} has nothing left to do.
     *
     * @param partitioner the Cairn partitioner
     */
    public CairnPartitionerAdapter(Partitioner partitioner) {
        this.partitioner = partitioner;
        this.name = partitioner.getClass().getName();
    }

    /**
     * Makes the partitioner named by {@value #PARTITIONER_CLASS_CONFIG} (a class name, or a
     * {@code Class}). The producer calls this once, in its constructor, before any record.
     *
     * @throws ConfigException if the setting is missing (and no partitioner was given to the
     *     constructor), names no loadable class, a class that is not a Cairn partitioner, or one
     *     without a public no-argument constructor
     * @throws KafkaException if the partitioner's constructor fails
     */
    @Override
    public void configure(Map<String, ?> configs) {
        Object setting = configs.get(PARTITIONER_CLASS_CONFIG);
        if (setting == null || setting.toString().isBlank()) {
            if (partitioner == null) {
                throw new ConfigException(PARTITIONER_CLASS_CONFIG + " must name the Cairn partitioner class that "
                        + getClass().getName() + " runs, e.g. io.cairn.partitioner.keyhash.internal.KeyHashPartitioner");
            }
            return;
        }
        Class<?> type = setting instanceof Class<?> c ? c : load(setting.toString().trim());
        if (!Partitioner.class.isAssignableFrom(type)) {
            throw new ConfigException(PARTITIONER_CLASS_CONFIG, type.getName(),
                    "not a Cairn partitioner: it does not implement " + Partitioner.class.getName());
        }
        try {
            this.partitioner = (Partitioner) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new ConfigException(PARTITIONER_CLASS_CONFIG, type.getName(), "needs a public no-argument constructor");
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaException("Could not create Cairn partitioner " + type.getName() + ": " + cause, cause);
        }
        this.name = type.getName();
        topics.clear();
    }

    private static Class<?> load(String className) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(className, true, context != null ? context : CairnPartitionerAdapter.class.getClassLoader());
        } catch (ClassNotFoundException notInContext) {
            try {
                return Class.forName(className, true, CairnPartitionerAdapter.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ConfigException(PARTITIONER_CLASS_CONFIG, className, "class not found on the classpath");
            }
        }
    }

    /**
     * Asks the Cairn partitioner. Kafka calls this only for records that name no partition, once
     * their topic's metadata is known.
     *
     * @throws KafkaException if the Cairn partitioner refuses the record or answers out of range
     */
    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        Partitioner cairn = partitioner;
        if (cairn == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " used before configure()");
        }
        List<PartitionInfo> partitions = partitionsOf(topic, cluster);
        PartitionRequest record = PartitionRequest.builder(topic, partitions).key(keyBytes).value(valueBytes).build();
        int chosen;
        try {
            chosen = cairn.partition(record);
        } catch (PartitionerException e) {
            throw new KafkaException(e.getMessage(), e);
        }
        if (chosen < 0 || chosen >= partitions.size()) {
            throw new KafkaException("Cairn partitioner " + name + " chose partition " + chosen + " of topic '" + topic
                    + "', which has partitions 0 to " + (partitions.size() - 1));
        }
        return chosen;
    }

    private List<PartitionInfo> partitionsOf(String topic, Cluster cluster) {
        TopicPartitions known = topics.get(topic);
        if (known != null && known.cluster() == cluster) {
            return known.partitions();
        }
        // The producer hashes keys over all partitions it knows, leader or not; so do we.
        List<org.apache.kafka.common.PartitionInfo> infos = cluster.partitionsForTopic(topic);
        if (infos.isEmpty()) {
            throw new KafkaException("No partitions known for topic '" + topic + "'");
        }
        int[] leaders = new int[infos.size()];
        Arrays.fill(leaders, PartitionInfo.NO_LEADER);
        for (org.apache.kafka.common.PartitionInfo info : infos) {
            Node leader = info.leader();
            if (info.partition() < leaders.length && leader != null && !leader.isEmpty()
                    && leader.id() >= 0) {
                leaders[info.partition()] = leader.id();
            }
        }
        List<PartitionInfo> partitions = new ArrayList<>(leaders.length);
        for (int p = 0; p < leaders.length; p++) {
            partitions.add(new PartitionInfo(p, leaders[p]));
        }
        List<PartitionInfo> result = List.copyOf(partitions);
        topics.put(topic, new TopicPartitions(cluster, result));
        return result;
    }

    /** Closes the Cairn partitioner if it holds anything to close. */
    @Override
    public void close() {
        if (partitioner instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new KafkaException("Closing Cairn partitioner " + name + " failed", e);
            }
        }
    }
}
