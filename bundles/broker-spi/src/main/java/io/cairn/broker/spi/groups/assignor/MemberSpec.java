package io.cairn.broker.spi.groups.assignor;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One member as an assignor sees it.
 *
 * @param memberId the member id
 * @param instanceId its {@code group.instance.id}, if static
 * @param rackId its rack, if given
 * @param subscribedTopicIds the existing topics it subscribes to (by name or regular expression)
 * @param currentAssignment its current target assignment (topic id → partitions), for stickiness;
 *     empty for a new member
 */
@ProviderType
public record MemberSpec(String memberId, Optional<String> instanceId, Optional<String> rackId,
        Set<UUID> subscribedTopicIds, Map<UUID, Set<Integer>> currentAssignment) {
    public MemberSpec {
        subscribedTopicIds = Set.copyOf(subscribedTopicIds);
        currentAssignment = Map.copyOf(currentAssignment);
    }
}
