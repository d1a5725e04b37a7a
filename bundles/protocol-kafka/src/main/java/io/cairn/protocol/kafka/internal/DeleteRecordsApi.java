package io.cairn.protocol.kafka.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionReplica;

/**
 * DeleteRecords (v0–v2): advances a partition's log start offset through
 * {@link PartitionReplica#deleteRecordsBefore}; the answer is the new low watermark. As in Kafka:
 * offset -1 means the high watermark; any other offset below 0 or above the high watermark is
 * {@code OFFSET_OUT_OF_RANGE}; a topic whose {@code cleanup.policy} lacks {@code delete} is
 * {@code POLICY_VIOLATION}. On one broker the new log start is reached at once, so the request's
 * timeout is not waited on.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class DeleteRecordsApi implements ApiHandler {

    /** Kafka's {@code DeleteRecordsRequest.HIGH_WATERMARK}. */
    private static final long HIGH_WATERMARK = -1;

    private final LocalBroker broker;

    DeleteRecordsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<DeleteRecordsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        DeleteRecordsRequestData body = (DeleteRecordsRequestData) request.body();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsTopic topic : body.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(topicResult);
            for (DeleteRecordsPartition partition : topic.partitions()) {
                topicResult.partitions().add(delete(topic.name(), partition));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private DeleteRecordsPartitionResult delete(String topic, DeleteRecordsPartition partition) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                .setPartitionIndex(partition.partitionIndex()).setLowWatermark(-1);
        try {
            PartitionReplica replica = broker.partition(topic, partition.partitionIndex());
            String policy = replica.config().getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_DELETE);
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
                return result.setErrorCode(Errors.POLICY_VIOLATION.code());
            }
            long offset = partition.offset();
            if (offset != HIGH_WATERMARK && (offset < 0 || offset > replica.highWatermark())) {
                return result.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
            }
            return result.setErrorCode(Errors.NONE.code()).setLowWatermark(replica.deleteRecordsBefore(offset));
        } catch (BrokerException e) {
            return result.setErrorCode(KafkaErrors.of(e.error()).code());
        }
    }
}
