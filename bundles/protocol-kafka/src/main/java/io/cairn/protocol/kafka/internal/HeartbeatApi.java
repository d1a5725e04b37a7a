package io.cairn.protocol.kafka.internal;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.HeartbeatRequest;

/**
 * Heartbeat (v0–v4) through {@link io.cairn.broker.spi.groups.GroupCoordinator#heartbeat}: a normal
 * completion is {@code NONE}; {@code REBALANCE_IN_PROGRESS} tells the member to rejoin.
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class HeartbeatApi implements ApiHandler {

    private final GroupCoordinatorSlot groups;

    HeartbeatApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<HeartbeatResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        HeartbeatRequestData body = (HeartbeatRequestData) request.body();
        HeartbeatRequest heartbeat = new HeartbeatRequest(body.groupId(), body.generationId(), body.memberId(),
                Optional.ofNullable(body.groupInstanceId()));
        return groups.ask(c -> c.heartbeat(heartbeat),
                done -> new HeartbeatResponseData().setErrorCode(Errors.NONE.code()),
                failure -> new HeartbeatResponseData().setErrorCode(KafkaErrors.of(failure, "Heartbeat").code()));
    }
}
