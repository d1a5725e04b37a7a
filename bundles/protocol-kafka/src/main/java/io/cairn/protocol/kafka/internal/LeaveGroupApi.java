package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.LeavingMember;
import io.cairn.broker.spi.groups.MemberLeave;

/**
 * LeaveGroup (v0–v5) through {@link io.cairn.broker.spi.groups.GroupCoordinator#leaveGroup}. v0–v2
 * name one member, whose error is the response's; v3+ (KIP-345) a batch, possibly by
 * {@code group.instance.id} alone (Admin removal of static members), with one error per member;
 * v5+ carry a reason.
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class LeaveGroupApi implements ApiHandler {

    private final GroupCoordinatorSlot groups;

    LeaveGroupApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<LeaveGroupResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        LeaveGroupRequestData body = (LeaveGroupRequestData) request.body();
        boolean batch = request.apiVersion() >= 3;
        List<LeavingMember> leaving = new ArrayList<>();
        if (batch) {
            for (MemberIdentity member : body.members()) {
                leaving.add(new LeavingMember(member.memberId() == null ? "" : member.memberId(),
                        Optional.ofNullable(member.groupInstanceId()), Optional.ofNullable(member.reason())));
            }
        } else {
            leaving.add(new LeavingMember(body.memberId(), Optional.empty(), Optional.empty()));
        }
        return groups.ask(c -> c.leaveGroup(body.groupId(), leaving), left -> answered(left, batch),
                failure -> new LeaveGroupResponseData().setErrorCode(KafkaErrors.of(failure, "LeaveGroup").code()));
    }

    private static LeaveGroupResponseData answered(List<MemberLeave> left, boolean batch) {
        LeaveGroupResponseData response = new LeaveGroupResponseData().setErrorCode(Errors.NONE.code());
        if (!batch) {
            return left.isEmpty() ? response : response.setErrorCode(code(left.get(0)));
        }
        for (MemberLeave member : left) {
            response.members().add(new MemberResponse().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId().orElse(null)).setErrorCode(code(member)));
        }
        return response;
    }

    private static short code(MemberLeave member) {
        return member.error().map(KafkaErrors::of).orElse(Errors.NONE).code();
    }
}
