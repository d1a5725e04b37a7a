package io.cairn.broker.spi.cluster;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.TimestampOffset;

/**
 * A partition replica hosted by this broker, as front ends read and write it. Today every hosted
 * replica is a leader; followers arrive with replication.
 *
 * <p>Division of labour on produce: the front end checks each batch's framing, magic (v2), CRC
 * and size, and recompresses if the topic demands a codec; the partition assigns offsets, stamps
 * the leader epoch (and the broker time for {@code LogAppendTime} topics), applies idempotent
 * producer rules (duplicates answered without a second append, sequence gaps refused), appends
 * through the storage engine, and completes the returned stage when the topic's ack strategy says so.
 *
 * <p>Thread-safe: appends of one partition are serialized inside it; reads run concurrently.
 */
@ProviderType
public interface PartitionReplica {

    /** The topic. */
    String topic();

    /** The partition number. */
    int partition();

    /** The leader epoch this replica serves under. */
    int leaderEpoch();

    /** The first offset still held. */
    long logStartOffset();

    /** The offset the next record will get. */
    long logEndOffset();

    /** The offset below which every record is replicated to the whole in-sync set: what consumers see. */
    long highWatermark();

    /**
     * Appends v2 record batches from a producer.
     *
     * @param batches one or more whole, validated batches; base offsets are ignored and replaced
     * @param acks the producer's acks: 0, 1 or -1
     * @param timeoutMs how long to wait for the ack strategy before {@code REQUEST_TIMED_OUT}
     * @return completes with the result, or exceptionally with a {@link BrokerException}
     */
    CompletionStage<AppendResult> append(ByteBuffer batches, short acks, long timeoutMs);

    /**
     * Reads whole batches from {@code offset}, up to {@code maxBytes} (the first batch whole even if
     * larger) and below {@code maxOffset} (use {@link #highWatermark()} for consumers).
     *
     * @throws BrokerException {@code OFFSET_OUT_OF_RANGE} outside [log start, log end]
     */
    LogReadResult read(long offset, int maxBytes, long maxOffset);

    /** The first offset with a timestamp at or after {@code timestamp}. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp);

    /** The offset and timestamp of the record with the largest timestamp. */
    Optional<TimestampOffset> maxTimestamp();

    /**
     * Deletes every record before {@code offset} (DeleteRecords); -1 means the high watermark.
     *
     * @return the new log start offset
     */
    long deleteRecordsBefore(long offset);

    /**
     * Calls {@code listener} after every append that moves the high watermark (to wake long-polling
     * fetches). The listener runs on the appending thread and must not block.
     *
     * @return a handle that removes the listener
     */
    AutoCloseable onNewData(Runnable listener);

    /** The topic's effective configuration (broker defaults overlaid with topic overrides). */
    Map<String, String> config();

    /** The log's size on disk in bytes. */
    long sizeInBytes();
}
