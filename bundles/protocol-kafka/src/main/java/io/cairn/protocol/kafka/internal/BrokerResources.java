package io.cairn.protocol.kafka.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.config.ConfigResource;

import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * Kafka's rules for a broker config resource in DescribeConfigs, AlterConfigs and
 * IncrementalAlterConfigs: its name is this broker's id (for DescribeConfigs also empty, the
 * cluster-wide defaults). Changes go to the broker's dynamic configuration
 * ({@code LocalBroker.alterBrokerConfig}), which refuses keys that cannot change while it runs the
 * way Kafka does: {@code INVALID_REQUEST}, "Cannot update these configs dynamically". Cluster-wide
 * dynamic defaults (an empty name) are not kept by Cairn: such a change is refused.
 *
 * <p>Thread-safety: stateless.
 */
final class BrokerResources {

    private BrokerResources() {
    }

    /**
     * @throws IllegalArgumentException (answered {@code INVALID_REQUEST}) with Kafka's message if
     *     {@code name} is not {@code brokerId}
     */
    static void checkThisBroker(String name, int brokerId) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Cluster-wide dynamic broker defaults are not supported by Cairn:"
                    + " name the broker (--entity-name " + brokerId + ")");
        }
        int id;
        try {
            id = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Node id must be an integer, but it is: " + name);
        }
        if (id != brokerId) {
            throw new IllegalArgumentException("Unexpected broker id, expected " + brokerId + ", but received "
                    + name);
        }
    }

    /**
     * Applies a change to a topic or to this broker, the part AlterConfigs and
     * IncrementalAlterConfigs share once each has turned its entries into {@code changes}
     * (computed only for a resource type that takes them).
     *
     * @throws IllegalArgumentException (answered {@code INVALID_REQUEST}) for another broker or
     *     resource type
     */
    static void alter(LocalBroker broker, byte resourceType, String name,
            Supplier<Map<String, Optional<String>>> changes, boolean replace, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type == ConfigResource.Type.TOPIC) {
            broker.alterTopicConfig(name, changes.get(), replace, validateOnly);
        } else if (type == ConfigResource.Type.BROKER) {
            checkThisBroker(name, broker.brokerId());
            broker.alterBrokerConfig(changes.get(), replace, validateOnly);
        } else {
            throw new IllegalArgumentException("Unknown resource type " + resourceType);
        }
    }

    /** Whether {@code names} has a name twice. */
    static boolean hasDuplicates(Collection<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                return true;
            }
        }
        return false;
    }
}
