package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A successful JoinGroup response.
 *
 * @param memberId the member's id (new for a member that joined without one)
 * @param generationId the generation the member is now part of
 * @param protocolType the group's protocol type
 * @param protocolName the protocol selected for this generation (the one every member supports
 *     that most members prefer)
 * @param leaderId the leader's member id; a member whose own id equals it runs the assignment.
 *     A replaced static member of a stable group is told the <em>previous</em> leader id (Kafka's
 *     rule, so that it does not assign) unless {@code skipAssignment} applies
 * @param skipAssignment JoinGroup v9+: the member is the leader but must not compute a new assignment
 * @param members every member with its metadata when this member is the leader; empty otherwise
 */
@ProviderType
public record JoinResult(String memberId, int generationId, Optional<String> protocolType,
        Optional<String> protocolName, String leaderId, boolean skipAssignment, List<JoinedMember> members) {

    public JoinResult {
        members = List.copyOf(members);
    }
}
