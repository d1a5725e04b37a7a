package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An OffsetCommit request.
 *
 * <p>A member of a classic group passes its generation and member id; a consumer (KIP-848)
 * group member passes its member epoch as {@code generationIdOrMemberEpoch}. A client that uses
 * the group only to keep offsets (a "simple" consumer, Admin's {@code alterConsumerGroupOffsets})
 * passes generation -1 and an empty member id, and may commit only while the group has no members.
 *
 * @param groupId the group
 * @param generationIdOrMemberEpoch the generation (classic) or member epoch (consumer), -1 for none
 * @param memberId the member id, empty for none
 * @param groupInstanceId the static member's {@code group.instance.id}, if any
 * @param offsets the offsets, at most one per partition
 */
@ProviderType
public record OffsetCommitRequest(String groupId, int generationIdOrMemberEpoch, String memberId,
        Optional<String> groupInstanceId, List<OffsetCommit> offsets) {

    public OffsetCommitRequest {
        Objects.requireNonNull(memberId, "memberId (empty for none)");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
        offsets = List.copyOf(offsets);
    }
}
