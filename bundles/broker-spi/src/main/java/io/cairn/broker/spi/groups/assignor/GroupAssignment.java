package io.cairn.broker.spi.groups.assignor;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An assignor's result: for every member id, its partitions by topic id.
 *
 * @param members member id → topic id → partitions
 */
@ProviderType
public record GroupAssignment(Map<String, Map<UUID, Set<Integer>>> members) {
    public GroupAssignment {
        members = Map.copyOf(members);
    }
}
