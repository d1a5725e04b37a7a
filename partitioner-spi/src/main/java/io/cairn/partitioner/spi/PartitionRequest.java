package io.cairn.partitioner.spi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a partitioner knows about one record: its topic, key, value and headers, the partition its
 * producer asked for (if any), and the topic's partitions with their current leaders.
 *
 * <p>Buffers are read-only views; a partitioner must not keep them after it returns.
 */
@ProviderType
public interface PartitionRequest {

    /** The topic the record is sent to. */
    String topic();

    /** The key bytes, or {@code null} for a record without a key. */
    ByteBuffer key();

    /** The value bytes, or {@code null} for a tombstone. */
    ByteBuffer value();

    /** The record headers, in order; empty if none. */
    List<RecordHeader> headers();

    /** The partition the producer named explicitly, if it did. */
    OptionalInt requestedPartition();

    /** Number of partitions of the topic; at least 1. */
    int partitionCount();

    /** Every partition of the topic, ordered by partition number. */
    List<PartitionInfo> partitions();
}
