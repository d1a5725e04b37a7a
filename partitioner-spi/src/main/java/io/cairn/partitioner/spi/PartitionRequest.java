package io.cairn.partitioner.spi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a partitioner knows about one record: its topic, key, value and headers, the partition its
 * producer named (if any), and the topic's partitions with their current leaders.
 *
 * <p>Callers build requests with {@link #builder(String, List)}. Buffers are read-only views, and
 * every call of {@link #key()}, {@link #value()} or {@link RecordHeader#value()} returns a new view
 * positioned at the first byte, so a partitioner may read them relatively without disturbing
 * anyone; it must not keep them after {@link Partitioner#partition} returns. A request may be
 * handed to several threads at once.
 */
@ProviderType
public interface PartitionRequest {

    /** The topic the record is sent to. */
    String topic();

    /**
     * The key bytes, or {@code null} for a record without a key. An empty key is a key: Kafka's
     * producer hashes it like any other.
     */
    ByteBuffer key();

    /** The value bytes, or {@code null} for a tombstone. */
    ByteBuffer value();

    /** The record headers, in order; empty if none. */
    List<RecordHeader> headers();

    /**
     * The partition the producer named explicitly, if it did. It is not negative but may be beyond
     * the topic's partitions; the partitioner refuses it then.
     */
    OptionalInt requestedPartition();

    /** Number of partitions of the topic; at least 1. */
    int partitionCount();

    /**
     * Every partition of the topic, ordered by partition number: element {@code i} describes
     * partition {@code i}, and there are {@link #partitionCount()} of them.
     */
    List<PartitionInfo> partitions();

    /** The partitions that have a leader now, ordered by partition number; possibly empty. */
    default List<PartitionInfo> availablePartitions() {
        return partitions().stream().filter(PartitionInfo::available).collect(Collectors.toUnmodifiableList());
    }

    /**
     * The last header with this key, which is the one that counts when a key occurs more than once.
     *
     * @param key the header key
     * @return the header, or empty if the record has none with this key
     */
    default Optional<RecordHeader> lastHeader(String key) {
        List<RecordHeader> headers = headers();
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return Optional.of(headers.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Starts a request for a record of {@code topic}.
     *
     * @param topic the topic
     * @param partitions every partition of the topic, element {@code i} describing partition
     *     {@code i}; at least one
     * @return a builder
     */
    static Builder builder(String topic, List<PartitionInfo> partitions) {
        return new Builder(topic, partitions);
    }

    /**
     * Builds a {@link PartitionRequest}. Byte arrays and buffers handed to it are not copied: the
     * caller leaves them unchanged until the partitioner has answered. Not thread-safe; the request
     * it builds is immutable.
     */
    final class Builder {

        private final String topic;
        private final List<PartitionInfo> partitions;
        private ByteBuffer key;
        private ByteBuffer value;
        private final List<RecordHeader> headers = new ArrayList<>();
        private int requestedPartition = -1;

        private Builder(String topic, List<PartitionInfo> partitions) {
            this.topic = Objects.requireNonNull(topic, "topic");
            this.partitions = List.copyOf(partitions);
        }

        /** The key, or {@code null} for none. */
        public Builder key(byte[] key) {
            this.key = key == null ? null : ByteBuffer.wrap(key);
            return this;
        }

        /** The key from its position to its limit, or {@code null} for none. */
        public Builder key(ByteBuffer key) {
            this.key = key;
            return this;
        }

        /** The value, or {@code null} for a tombstone. */
        public Builder value(byte[] value) {
            this.value = value == null ? null : ByteBuffer.wrap(value);
            return this;
        }

        /** The value from its position to its limit, or {@code null} for a tombstone. */
        public Builder value(ByteBuffer value) {
            this.value = value;
            return this;
        }

        /** Appends a header. */
        public Builder header(RecordHeader header) {
            headers.add(Objects.requireNonNull(header, "header"));
            return this;
        }

        /** Appends a header. */
        public Builder header(String key, byte[] value) {
            return header(RecordHeader.of(key, value));
        }

        /** Appends headers, in order. */
        public Builder headers(List<RecordHeader> headers) {
            headers.forEach(this::header);
            return this;
        }

        /**
         * The partition the producer named. Whether the topic has it is the partitioner's to say.
         *
         * @throws IllegalArgumentException if {@code partition} is negative: not a partition at all
         */
        public Builder requestedPartition(int partition) {
            if (partition < 0) {
                throw new IllegalArgumentException("requested partition " + partition + " is negative");
            }
            this.requestedPartition = partition;
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException if there are no partitions, or element {@code i} of the
         *     partitions does not describe partition {@code i}
         */
        public PartitionRequest build() {
            return new ImmutablePartitionRequest(topic, key, value, headers, requestedPartition, partitions);
        }
    }
}
