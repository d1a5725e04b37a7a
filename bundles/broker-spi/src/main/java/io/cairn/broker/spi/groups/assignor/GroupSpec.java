package io.cairn.broker.spi.groups.assignor;

import java.util.Map;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What an assignor assigns: the group's members and the topics they subscribe to.
 *
 * @param members the members by member id
 * @param topics every topic some member subscribes to (and that exists), by topic id
 */
@ProviderType
public record GroupSpec(Map<String, MemberSpec> members, Map<UUID, TopicSpec> topics) {
    public GroupSpec {
        members = Map.copyOf(members);
        topics = Map.copyOf(topics);
    }
}
