package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;
import io.cairn.broker.spi.groups.ConsumerHeartbeatResult;
import io.cairn.broker.spi.groups.TopicPartitions;

/**
 * ConsumerGroupHeartbeat (v0–v1, KIP-848) through
 * {@link io.cairn.broker.spi.groups.GroupCoordinator#consumerGroupHeartbeat}. Nullable request
 * fields ("unchanged since the last heartbeat") become empty {@code Optional}s; topics are named by
 * id both ways. From v1 the client makes up its member id, so an empty one is
 * {@code INVALID_REQUEST} here, as in Kafka; v0 clients may join without one and are given one. The
 * regular expression subscription exists from v1. Errors go into the response with their message
 * and no assignment.
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class ConsumerGroupHeartbeatApi implements ApiHandler {

    private final GroupCoordinatorSlot groups;

    ConsumerGroupHeartbeatApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<ConsumerGroupHeartbeatResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        ConsumerGroupHeartbeatRequestData body = (ConsumerGroupHeartbeatRequestData) request.body();
        if (request.apiVersion() >= 1 && (body.memberId() == null || body.memberId().isEmpty())) {
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("MemberId can't be empty."));
        }
        Optional<List<TopicPartitions>> owned = Optional.ofNullable(body.topicPartitions()).map(topics -> {
            List<TopicPartitions> list = new ArrayList<>();
            for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : topics) {
                list.add(new TopicPartitions(fromKafka(tp.topicId()), "", tp.partitions()));
            }
            return list;
        });
        ConsumerHeartbeatRequest heartbeat = new ConsumerHeartbeatRequest(body.groupId(),
                body.memberId() == null ? "" : body.memberId(), body.memberEpoch(),
                Optional.ofNullable(body.instanceId()), Optional.ofNullable(body.rackId()), body.rebalanceTimeoutMs(),
                Optional.ofNullable(body.subscribedTopicNames()), Optional.ofNullable(body.subscribedTopicRegex()),
                Optional.ofNullable(body.serverAssignor()), owned, String.valueOf(request.header().clientId()),
                connection.remoteAddress().getAddress().toString());
        return groups.ask(c -> c.consumerGroupHeartbeat(heartbeat), ConsumerGroupHeartbeatApi::answered,
                failure -> new ConsumerGroupHeartbeatResponseData()
                        .setErrorCode(KafkaErrors.of(failure, "ConsumerGroupHeartbeat").code())
                        .setErrorMessage(KafkaErrors.message(failure)));
    }

    private static ConsumerGroupHeartbeatResponseData answered(ConsumerHeartbeatResult result) {
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(Errors.NONE.code()).setMemberId(result.memberId()).setMemberEpoch(result.memberEpoch())
                .setHeartbeatIntervalMs(result.heartbeatIntervalMs());
        result.assignment().ifPresent(partitions -> {
            List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>();
            for (TopicPartitions tp : partitions) {
                topics.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                        .setTopicId(TopicIds.toKafka(tp.topicId())).setPartitions(new ArrayList<>(tp.partitions())));
            }
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(topics));
        });
        return response;
    }

    static UUID fromKafka(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
