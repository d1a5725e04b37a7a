package io.cairn.broker.spi.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This broker, as the kernel offers it to front ends such as the Kafka protocol bundle. Registered
 * by the kernel once the broker is registered in the metadata store and the cluster id is known;
 * unregistered when the broker stops. Thread-safe.
 */
@ProviderType
public interface LocalBroker {

    /** The broker's configuration. */
    BrokerConfig config();

    /** This broker's id. */
    default int brokerId() {
        return config().brokerId();
    }

    /** A current snapshot of the cluster. */
    ClusterView cluster();

    /**
     * Creates a topic (controller work: assignment, partition state, configuration).
     *
     * @param validateOnly check everything, change nothing
     * @return the topic as created (or as it would be)
     * @throws BrokerException {@code TOPIC_ALREADY_EXISTS}, {@code INVALID_TOPIC_EXCEPTION},
     *     {@code INVALID_PARTITIONS}, {@code INVALID_REPLICATION_FACTOR}, {@code INVALID_CONFIG}, …
     */
    TopicInfo createTopic(NewTopic topic, boolean validateOnly);

    /**
     * Deletes a topic and its data.
     *
     * @throws BrokerException {@code UNKNOWN_TOPIC_OR_PARTITION}, {@code TOPIC_DELETION_DISABLED},
     *     {@code INVALID_TOPIC_EXCEPTION} (internal topics)
     */
    void deleteTopic(String name);

    /**
     * Raises a topic's partition count to {@code totalCount}.
     *
     * @throws BrokerException {@code INVALID_PARTITIONS} if not larger than now
     */
    void createPartitions(String topic, int totalCount, boolean validateOnly);

    /** The effective configuration of a topic, every key with its source. */
    List<ConfigEntry> describeTopicConfig(String topic);

    /** The effective configuration of this broker, every key with its source. */
    List<ConfigEntry> describeBrokerConfig();

    /**
     * Changes this broker's dynamic configuration, Kafka's per-broker dynamic configs: a present
     * value sets a key, an empty one removes the dynamic value so that {@code server.properties}
     * (or the default) applies again; with {@code replace}, every dynamic value not named is removed
     * too (AlterConfigs). Only keys that the broker can change while it runs are accepted. Dynamic
     * values outlive a restart and take precedence over {@code server.properties}. The components
     * that read a key apply the change after this returns.
     *
     * @throws BrokerException {@code INVALID_REQUEST} naming the keys that cannot change while the
     *     broker runs; {@code INVALID_CONFIG} for a bad value
     */
    void alterBrokerConfig(Map<String, Optional<String>> changes, boolean replace, boolean validateOnly);

    /**
     * Changes topic configuration overrides: a present value sets a key, an empty one removes the
     * override. With {@code replace}, every override not named is removed too (AlterConfigs).
     *
     * @throws BrokerException {@code INVALID_CONFIG} for unknown keys or bad values
     */
    void alterTopicConfig(String topic, Map<String, Optional<String>> changes, boolean replace, boolean validateOnly);

    /**
     * The local replica of a partition, waiting up to {@code cairn.plugin.wait.ms} for a storage
     * engine it needs.
     *
     * @throws BrokerException {@code UNKNOWN_TOPIC_OR_PARTITION} if no such partition exists,
     *     {@code NOT_LEADER_OR_FOLLOWER} if this broker does not host it,
     *     {@code KAFKA_STORAGE_ERROR} if its log cannot be opened
     */
    PartitionReplica partition(String topic, int partition);

    /**
     * Creates the topic if {@code auto.create.topics.enable} allows, as Kafka does when a client
     * asks for metadata of a topic that does not exist.
     *
     * @return whether the topic exists now
     */
    boolean autoCreateTopic(String name);

    /** The log directories and the replicas in each. */
    List<LogDirInfo> logDirs();

    /** A new producer id with epoch 0, unique in the cluster. */
    ProducerIdentity newProducerId();
}
