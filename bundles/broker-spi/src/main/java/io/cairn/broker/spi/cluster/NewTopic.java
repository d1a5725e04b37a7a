package io.cairn.broker.spi.cluster;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A topic to create, as CreateTopics describes it.
 *
 * @param name the topic name
 * @param partitions the partition count, or -1 for {@code num.partitions}
 * @param replicationFactor replicas per partition, or -1 for {@code default.replication.factor}
 * @param assignments explicit replica lists by partition (then partitions and replication factor
 *     must be -1); empty to let the broker assign
 * @param configs topic configuration overrides ({@code retention.ms}, {@code cleanup.policy}, …)
 */
@ProviderType
public record NewTopic(String name, int partitions, short replicationFactor, Map<Integer, List<Integer>> assignments,
        Map<String, String> configs) {

    public NewTopic {
        assignments = Map.copyOf(assignments);
        configs = Map.copyOf(configs);
    }
}
