package io.cairn.protocol.kafka.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;

/**
 * SyncGroup (v0–v5) through {@link io.cairn.broker.spi.groups.GroupCoordinator#syncGroup}: the
 * leader's assignments in, each member's own assignment out. Protocol type and name travel from v5
 * on (KIP-559); before, they are absent from both request and response.
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class SyncGroupApi implements ApiHandler {

    private static final byte[] NO_ASSIGNMENT = new byte[0];

    private final GroupCoordinatorSlot groups;

    SyncGroupApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<SyncGroupResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        SyncGroupRequestData body = (SyncGroupRequestData) request.body();
        boolean withProtocol = request.apiVersion() >= 5;
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestAssignment assignment : body.assignments()) {
            assignments.put(assignment.memberId(), assignment.assignment());
        }
        SyncRequest sync = new SyncRequest(body.groupId(), body.generationId(), body.memberId(),
                Optional.ofNullable(body.groupInstanceId()),
                Optional.ofNullable(withProtocol ? body.protocolType() : null),
                Optional.ofNullable(withProtocol ? body.protocolName() : null), assignments);
        return groups.ask(c -> c.syncGroup(sync), result -> synced(result, withProtocol),
                failure -> new SyncGroupResponseData().setErrorCode(KafkaErrors.of(failure, "SyncGroup").code())
                        .setAssignment(NO_ASSIGNMENT));
    }

    private static SyncGroupResponseData synced(SyncResult result, boolean withProtocol) {
        return new SyncGroupResponseData().setErrorCode(Errors.NONE.code())
                .setProtocolType(withProtocol ? result.protocolType().orElse(null) : null)
                .setProtocolName(withProtocol ? result.protocolName().orElse(null) : null)
                .setAssignment(result.assignment() == null ? NO_ASSIGNMENT : result.assignment());
    }
}
