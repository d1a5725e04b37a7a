package io.cairn.broker.spi.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The broker's effective configuration: {@code server.properties} with {@code --override}s
 * applied and Kafka's defaults for every key left out. Immutable.
 */
@ProviderType
public interface BrokerConfig {

    /** {@code broker.id}. */
    int brokerId();

    /** {@code listeners}: where the broker accepts connections. */
    List<Endpoint> listeners();

    /** {@code advertised.listeners}: what clients are told; defaults to {@link #listeners()}. */
    List<Endpoint> advertisedListeners();

    /** {@code log.dirs} (or {@code log.dir}), absolute. */
    List<Path> logDirs();

    /** {@code num.partitions}: partitions of an auto-created topic. */
    int numPartitions();

    /** {@code default.replication.factor}. */
    short defaultReplicationFactor();

    /** {@code auto.create.topics.enable}. */
    boolean autoCreateTopicsEnable();

    /** {@code message.max.bytes}: the largest record batch accepted. */
    int messageMaxBytes();

    /** {@code socket.request.max.bytes}: the largest request frame accepted. */
    int socketRequestMaxBytes();

    /** {@code min.insync.replicas}. */
    int minInsyncReplicas();

    /** {@code zookeeper.connect}, if set. */
    Optional<String> zookeeperConnect();

    /** The raw value of any key, if set or defaulted. */
    Optional<String> get(String key);

    /** Every key with its effective value. */
    Map<String, String> asMap();
}
