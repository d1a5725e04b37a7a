package io.cairn.protocol.kafka.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.TimestampOffset;

/**
 * ListOffsets (v1–v11): an offset for a timestamp, per partition. Special timestamps as in Kafka:
 * <ul>
 * <li>-2 earliest, -4 earliest local: the log start offset;</li>
 * <li>-1 latest: the high watermark for consumers (also under read_committed: no transactions, so
 * the last stable offset is the high watermark), the log end for replicas; with the current leader
 * epoch;</li>
 * <li>-3 max timestamp (v7+): the record with the largest timestamp, or offset -1 if the log is
 * empty;</li>
 * <li>-5 latest tiered and -6 earliest pending upload: no tiered storage, so no such offset (-1);</li>
 * <li>any other: the first offset with a timestamp at or after it, if below the high watermark,
 * else offset -1 and timestamp -1.</li>
 * </ul>
 * A partition named twice is answered {@code INVALID_REQUEST}, a stale or future
 * {@code CurrentLeaderEpoch} {@code FENCED_LEADER_EPOCH}/{@code UNKNOWN_LEADER_EPOCH}. The leader
 * epoch of a found offset is not known to the kernel's API and is returned as -1 ("unknown"), which
 * clients accept.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class ListOffsetsApi implements ApiHandler {

    private static final long UNKNOWN = -1;
    private static final int NO_EPOCH = -1;

    private final LocalBroker broker;

    ListOffsetsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<ListOffsetsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        ListOffsetsRequestData body = (ListOffsetsRequestData) request.body();
        boolean fromReplica = body.replicaId() >= 0;
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (ListOffsetsTopic topic : body.topics()) {
            for (ListOffsetsPartition partition : topic.partitions()) {
                String key = topic.name() + "-" + partition.partitionIndex();
                if (!seen.add(key)) {
                    duplicates.add(key);
                }
            }
        }
        List<ListOffsetsTopicResponse> topics = new ArrayList<>();
        for (ListOffsetsTopic topic : body.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            topics.add(topicResponse);
            for (ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsPartitionResponse answer = duplicates.contains(topic.name() + "-" + partition.partitionIndex())
                        ? failed(partition, Errors.INVALID_REQUEST)
                        : offsetFor(topic.name(), partition, fromReplica);
                if (request.apiVersion() < 4) {
                    // The leader epoch field exists from v4; older versions cannot carry one.
                    answer.setLeaderEpoch(NO_EPOCH);
                }
                topicResponse.partitions().add(answer);
            }
        }
        return CompletableFuture.completedFuture(new ListOffsetsResponseData().setTopics(topics));
    }

    private ListOffsetsPartitionResponse offsetFor(String topic, ListOffsetsPartition partition, boolean fromReplica) {
        PartitionReplica replica;
        try {
            replica = broker.partition(topic, partition.partitionIndex());
        } catch (BrokerException e) {
            return failed(partition, KafkaErrors.of(e.error()));
        }
        int epoch = replica.leaderEpoch();
        if (partition.currentLeaderEpoch() >= 0 && partition.currentLeaderEpoch() != epoch) {
            return failed(partition, partition.currentLeaderEpoch() < epoch
                    ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH);
        }
        long readableEnd = fromReplica ? replica.logEndOffset() : replica.highWatermark();
        long timestamp = partition.timestamp();
        try {
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                return found(partition, UNKNOWN, replica.logStartOffset(), NO_EPOCH);
            }
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                return found(partition, UNKNOWN, readableEnd, epoch);
            }
            if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
                return found(partition, UNKNOWN, UNKNOWN, NO_EPOCH);
            }
            Optional<TimestampOffset> hit = timestamp == ListOffsetsRequest.MAX_TIMESTAMP
                    ? replica.maxTimestamp().map(t -> recordWithTimestamp(replica, t))
                    : replica.offsetForTimestamp(timestamp);
            return hit.filter(t -> t.offset() < readableEnd)
                    .map(t -> found(partition, t.timestamp(), t.offset(), NO_EPOCH))
                    .orElseGet(() -> found(partition, UNKNOWN, UNKNOWN, NO_EPOCH));
        } catch (BrokerException e) {
            return failed(partition, KafkaErrors.of(e.error()));
        }
    }

    /**
     * The kernel names the batch holding the largest timestamp (by its last offset); Kafka answers
     * with the offset of the record itself (KIP-734). Read that one batch back, decompressing if
     * needed, and find the first record carrying the timestamp.
     */
    private static TimestampOffset recordWithTimestamp(PartitionReplica replica, TimestampOffset batch) {
        LogReadResult region = replica.read(batch.offset(), 1, batch.offset() + 1);
        try {
            for (RecordBatch b : MemoryRecords.readableRecords(region.copyToHeap()).batches()) {
                for (Record r : b) {
                    if (r.timestamp() == batch.timestamp()) {
                        return new TimestampOffset(batch.timestamp(), r.offset());
                    }
                }
            }
            return batch;
        } catch (IOException e) {
            throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, "Could not read " + replica.topic() + "-"
                    + replica.partition() + ": " + e.getMessage(), e);
        } finally {
            region.release();
        }
    }

    private static ListOffsetsPartitionResponse found(ListOffsetsPartition partition, long timestamp, long offset,
            int epoch) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(partition.partitionIndex())
                .setErrorCode(Errors.NONE.code()).setTimestamp(timestamp).setOffset(offset).setLeaderEpoch(epoch);
    }

    private static ListOffsetsPartitionResponse failed(ListOffsetsPartition partition, Errors error) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(partition.partitionIndex())
                .setErrorCode(error.code()).setTimestamp(UNKNOWN).setOffset(UNKNOWN).setLeaderEpoch(NO_EPOCH);
    }
}
