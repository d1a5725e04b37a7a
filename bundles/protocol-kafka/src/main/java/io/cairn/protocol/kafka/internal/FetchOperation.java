package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.storage.spi.LogReadResult;

/**
 * One fetch request, resolved to partition replicas once, that can be read as often as a long poll
 * needs: each {@link #read()} reads every partition afresh and builds a complete response whose
 * records are {@link LogRegionRecords} (zero-copy).
 *
 * <p>Byte limits as Kafka applies them (KIP-74): partitions are read in request order, each up to
 * its {@code PartitionMaxBytes} and what is left of the request's {@code MaxBytes}; the first
 * partition with data gets its first batch whole even if that is larger, any later partition gets
 * nothing rather than more than its share. Consumers read up to the high watermark, replicas
 * (replica id &gt;= 0) up to the log end. With no transactions, the last stable offset is the
 * high watermark and there are never aborted transactions.
 *
 * <p>Thread-safety: the resolved partitions are immutable; {@link #read()} and
 * {@link #hasNewData()} may run concurrently (they only read the replicas, which are thread-safe).
 */
final class FetchOperation {

    /**
     * A partition asked for.
     *
     * @param topic the topic name, or {@code null} if the topic id is unknown
     * @param replica the local replica, or {@code null} when {@code error} says why not
     * @param error why the partition cannot be read, or {@code NONE}
     */
    record PartitionFetch(String topic, Uuid topicId, int partition, long fetchOffset, int partitionMaxBytes,
            int currentLeaderEpoch, PartitionReplica replica, Errors error, String errorMessage) {
    }

    /** A topic of the request, with its partitions in request order. */
    record TopicFetch(String topic, Uuid topicId, List<PartitionFetch> partitions) {
    }

    /** A response and how much record data it carries. Release it if it is not sent. */
    record Result(FetchResponseData response, long bytes, boolean hasError) {

        void release() {
            LogRegionRecords.releaseAll(response);
        }
    }

    private final List<TopicFetch> topics;
    private final short version;
    private final int maxBytes;
    private final boolean fromReplica;
    private final boolean readCommitted;

    FetchOperation(List<TopicFetch> topics, short version, int maxBytes, boolean fromReplica, boolean readCommitted) {
        this.topics = topics;
        this.version = version;
        this.maxBytes = maxBytes;
        this.fromReplica = fromReplica;
        this.readCommitted = readCommitted;
    }

    /** The replicas read, for registering long-poll wake-ups. */
    List<PartitionReplica> replicas() {
        List<PartitionReplica> replicas = new ArrayList<>();
        topics.forEach(topic -> topic.partitions().stream().filter(p -> p.replica() != null)
                .forEach(p -> replicas.add(p.replica())));
        return replicas;
    }

    /** Whether there are partitions at all. */
    boolean isEmpty() {
        return topics.stream().allMatch(topic -> topic.partitions().isEmpty());
    }

    /**
     * Whether a read now could find more than the last one: some partition's readable end moved
     * past its fetch offset, or its log start did (which makes the offset out of range), or its
     * leader epoch no longer matches. Cheap: no log access.
     */
    boolean hasNewData() {
        for (TopicFetch topic : topics) {
            for (PartitionFetch p : topic.partitions()) {
                PartitionReplica replica = p.replica();
                if (replica != null && (readableEnd(replica) > p.fetchOffset()
                        || replica.logStartOffset() > p.fetchOffset()
                        || (p.currentLeaderEpoch() >= 0 && p.currentLeaderEpoch() != replica.leaderEpoch()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads every partition and builds the response. */
    Result read() {
        FetchResponseData response = new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
        long remaining = maxBytes;
        long bytes = 0;
        boolean hasError = false;
        try {
            for (TopicFetch topic : topics) {
                FetchableTopicResponse topicResponse = new FetchableTopicResponse().setTopic(topic.topic())
                        .setTopicId(topic.topicId());
                response.responses().add(topicResponse);
                for (PartitionFetch p : topic.partitions()) {
                    PartitionData data = readPartition(p, remaining, bytes == 0);
                    topicResponse.partitions().add(data);
                    if (data.errorCode() != Errors.NONE.code()) {
                        hasError = true;
                    } else {
                        int read = data.records().sizeInBytes();
                        bytes += read;
                        remaining -= read;
                    }
                }
            }
        } catch (RuntimeException e) {
            LogRegionRecords.releaseAll(response);
            throw e;
        }
        return new Result(response, bytes, hasError);
    }

    private PartitionData readPartition(PartitionFetch p, long remaining, boolean firstWithData) {
        if (p.error() != Errors.NONE) {
            return failed(p, p.error());
        }
        PartitionReplica replica = p.replica();
        int epoch = replica.leaderEpoch();
        if (p.currentLeaderEpoch() >= 0 && p.currentLeaderEpoch() != epoch) {
            return failed(p, p.currentLeaderEpoch() < epoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH);
        }
        if (version < 10 && "zstd".equals(replica.config().get(TopicConfig.COMPRESSION_TYPE_CONFIG))) {
            // Kafka: clients before fetch v10 cannot read zstd, refused by topic configuration.
            return failed(p, Errors.UNSUPPORTED_COMPRESSION_TYPE);
        }
        long highWatermark = replica.highWatermark();
        PartitionData data = new PartitionData().setPartitionIndex(p.partition())
                .setErrorCode(Errors.NONE.code())
                .setHighWatermark(highWatermark)
                .setLastStableOffset(highWatermark)
                .setLogStartOffset(replica.logStartOffset())
                .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
                .setPreferredReadReplica(-1)
                .setRecords(MemoryRecords.EMPTY);
        int limit = (int) Math.min(p.partitionMaxBytes(), Math.max(0, remaining));
        if (limit <= 0 && !firstWithData) {
            return data;
        }
        LogReadResult region;
        try {
            region = replica.read(p.fetchOffset(), Math.max(limit, 1), readableEnd(replica));
        } catch (BrokerException e) {
            return failed(p, KafkaErrors.of(e.error()));
        }
        long size = region.sizeInBytes();
        if (size == 0 || (!firstWithData && size > limit)) {
            region.release();
            return data;
        }
        return data.setRecords(new LogRegionRecords(region));
    }

    private long readableEnd(PartitionReplica replica) {
        return fromReplica ? replica.logEndOffset() : replica.highWatermark();
    }

    private PartitionData failed(PartitionFetch p, Errors error) {
        // Kafka: clients before fetch v6 do not know KAFKA_STORAGE_ERROR; they retry on this one.
        Errors sent = error == Errors.KAFKA_STORAGE_ERROR && version <= 5 ? Errors.NOT_LEADER_OR_FOLLOWER : error;
        return new PartitionData().setPartitionIndex(p.partition())
                .setErrorCode(sent.code())
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setPreferredReadReplica(-1)
                .setRecords(MemoryRecords.EMPTY);
    }
}
