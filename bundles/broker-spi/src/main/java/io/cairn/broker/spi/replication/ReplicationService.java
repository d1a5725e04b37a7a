package io.cairn.broker.spi.replication;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes this broker's follower replicas follow their leaders. Registered with the property
 * {@code cairn.name} ({@code isr}). The kernel tells it which partitions to follow as leadership
 * changes; the service fetches from the leaders and appends to the local logs. Thread-safe.
 */
@ConsumerType
public interface ReplicationService {

    /** The service property that names a replication service. */
    String NAME_PROPERTY = "cairn.name";

    /**
     * Starts (or re-targets) following one partition.
     *
     * @param topic the topic
     * @param partition the partition
     * @param leaderId the leader's broker id
     * @param leaderEpoch the leader epoch the follower must see; older fetch answers are ignored
     */
    void follow(String topic, int partition, int leaderId, int leaderEpoch);

    /** Stops following one partition (it became leader, or the replica moved away). */
    void unfollow(String topic, int partition);
}
