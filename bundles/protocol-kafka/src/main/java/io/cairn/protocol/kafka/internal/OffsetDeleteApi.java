package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * OffsetDelete (v0) through {@link io.cairn.broker.spi.groups.GroupCoordinator#deleteOffsets}: a
 * whole-request error ({@code GROUP_ID_NOT_FOUND}, {@code NON_EMPTY_GROUP}, ...) at the top, else
 * one error per partition ({@code GROUP_SUBSCRIBED_TO_TOPIC}).
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class OffsetDeleteApi implements ApiHandler {

    private final GroupCoordinatorSlot groups;

    OffsetDeleteApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<OffsetDeleteResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        OffsetDeleteRequestData body = (OffsetDeleteRequestData) request.body();
        List<PartitionKey> partitions = new ArrayList<>();
        for (OffsetDeleteRequestTopic topic : body.topics()) {
            for (OffsetDeleteRequestPartition p : topic.partitions()) {
                partitions.add(new PartitionKey(topic.name(), p.partitionIndex()));
            }
        }
        return groups.ask(c -> c.deleteOffsets(body.groupId(), partitions), results -> {
            OffsetDeleteResponseData response = new OffsetDeleteResponseData().setErrorCode(Errors.NONE.code());
            for (PartitionResult result : results) {
                OffsetDeleteResponseTopic topic = response.topics().find(result.topic());
                if (topic == null) {
                    topic = new OffsetDeleteResponseTopic().setName(result.topic());
                    response.topics().add(topic);
                }
                if (topic.partitions().find(result.partition()) == null) {
                    topic.partitions().add(new OffsetDeleteResponsePartition().setPartitionIndex(result.partition())
                            .setErrorCode(result.error().map(KafkaErrors::of).orElse(Errors.NONE).code()));
                }
            }
            return response;
        }, failure -> new OffsetDeleteResponseData().setErrorCode(KafkaErrors.of(failure, "OffsetDelete").code()));
    }
}
