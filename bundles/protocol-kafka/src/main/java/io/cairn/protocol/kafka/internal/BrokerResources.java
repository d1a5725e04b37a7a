package io.cairn.protocol.kafka.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Kafka's rules for a broker config resource in DescribeConfigs, AlterConfigs and
 * IncrementalAlterConfigs: its name is this broker's id, or empty for the cluster-wide defaults.
 * Cairn's broker configuration is static ({@code server.properties} and {@code --override}), so
 * any change to it is refused the way Kafka refuses a change to a key that is not dynamically
 * updatable: {@code INVALID_REQUEST}, "Cannot update these configs dynamically".
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

    /** The refusal of changing {@code keys}, or {@code null} if there are none to change. */
    static String refusal(Collection<String> keys) {
        if (keys.isEmpty()) {
            return null;
        }
        return "Cannot update these configs dynamically: " + keys
                + " (Cairn's broker configuration is static: set it in server.properties or with --override"
                + " and restart)";
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
