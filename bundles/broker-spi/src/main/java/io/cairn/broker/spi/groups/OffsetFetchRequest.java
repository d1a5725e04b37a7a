package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * An OffsetFetch request for one group.
 *
 * @param groupId the group
 * @param partitions the partitions asked for; empty for every partition the group has an offset for
 * @param requireStable OffsetFetch v7+: answer {@code UNSTABLE_OFFSET_COMMIT} for partitions with a
 *     pending transactional commit instead of the last stable offset
 * @param memberId OffsetFetch v9+ (consumer groups): the member asking, if any
 * @param memberEpoch OffsetFetch v9+: its member epoch, -1 for none
 */
@ProviderType
public record OffsetFetchRequest(String groupId, Optional<List<PartitionKey>> partitions, boolean requireStable,
        Optional<String> memberId, int memberEpoch) {

    public OffsetFetchRequest {
        Objects.requireNonNull(groupId, "groupId");
        partitions = partitions.map(List::copyOf);
        Objects.requireNonNull(memberId, "memberId");
    }
}
