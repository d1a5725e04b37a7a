package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.GroupProtocol;
import io.cairn.broker.spi.groups.JoinRequest;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.JoinedMember;
import io.cairn.broker.spi.groups.MemberIdRequiredException;

/**
 * JoinGroup (v0–v9) through {@link io.cairn.broker.spi.groups.GroupCoordinator#joinGroup}. The
 * answer may come much later (the rebalance), on a coordinator thread. v0 has no rebalance
 * timeout: the session timeout serves as both, as in Kafka. v4+ clients are made to rejoin with the
 * member id the coordinator gives them ({@code MEMBER_ID_REQUIRED}); v9+ may be told to skip
 * assignment. The client host is the connection's address as Kafka writes it, {@code /127.0.0.1}.
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class JoinGroupApi implements ApiHandler {

    private final GroupCoordinatorSlot groups;

    JoinGroupApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<JoinGroupResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        JoinGroupRequestData body = (JoinGroupRequestData) request.body();
        short version = request.apiVersion();
        List<GroupProtocol> protocols = new ArrayList<>();
        for (JoinGroupRequestProtocol protocol : body.protocols()) {
            protocols.add(new GroupProtocol(protocol.name(), protocol.metadata()));
        }
        JoinRequest join = new JoinRequest(body.groupId(), body.memberId(),
                Optional.ofNullable(body.groupInstanceId()), String.valueOf(request.header().clientId()),
                connection.remoteAddress().getAddress().toString(), body.sessionTimeoutMs(),
                version == 0 ? body.sessionTimeoutMs() : body.rebalanceTimeoutMs(), body.protocolType(), protocols,
                version >= 4, version >= 9, Optional.ofNullable(body.reason()));
        return groups.ask(c -> c.joinGroup(join), result -> joined(result, version),
                failure -> failed(failure, body.memberId(), version));
    }

    private static JoinGroupResponseData joined(JoinResult result, short version) {
        List<JoinGroupResponseMember> members = new ArrayList<>();
        for (JoinedMember member : result.members()) {
            members.add(new JoinGroupResponseMember().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId().orElse(null)).setMetadata(member.metadata()));
        }
        return new JoinGroupResponseData().setErrorCode(Errors.NONE.code())
                .setGenerationId(result.generationId())
                .setProtocolType(version >= 7 ? result.protocolType().orElse(null) : null)
                .setProtocolName(result.protocolName().orElse(version >= 7 ? null : ""))
                .setLeader(result.leaderId())
                .setSkipAssignment(version >= 9 && result.skipAssignment())
                .setMemberId(result.memberId())
                .setMembers(members);
    }

    private static JoinGroupResponseData failed(Throwable failure, String memberId, short version) {
        Errors error = KafkaErrors.of(failure, "JoinGroup");
        String answeredId = failure instanceof MemberIdRequiredException required ? required.memberId() : memberId;
        return new JoinGroupResponseData().setErrorCode(error.code())
                .setGenerationId(-1)
                .setProtocolType(null)
                .setProtocolName(version >= 7 ? null : "")
                .setLeader("")
                .setMemberId(answeredId);
    }
}
