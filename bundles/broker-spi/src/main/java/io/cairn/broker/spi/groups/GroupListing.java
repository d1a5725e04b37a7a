package io.cairn.broker.spi.groups;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One group in a ListGroups response.
 *
 * @param groupId the group
 * @param protocolType its protocol type ({@code consumer}, …), empty for a group that only holds offsets
 * @param state its state
 * @param type its type
 */
@ProviderType
public record GroupListing(String groupId, String protocolType, GroupState state, GroupType type) {
}
