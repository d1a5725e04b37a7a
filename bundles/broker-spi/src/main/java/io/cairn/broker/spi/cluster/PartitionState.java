package io.cairn.broker.spi.cluster;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of one partition, as in {@code /brokers/topics/<t>/partitions/<p>/state}.
 *
 * @param partition the partition number
 * @param leader the leader's broker id, or -1 when the partition has no leader
 * @param leaderEpoch increases with every leader change
 * @param replicas the assigned replicas, preferred leader first
 * @param isr the in-sync replicas
 */
@ProviderType
public record PartitionState(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
