package io.cairn.producer;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A record to send. Byte arrays are not copied: do not change them until the send has completed.
 *
 * @param topic the topic, never {@code null}
 * @param key the key, or {@code null} for a keyless record (an empty array is a key)
 * @param value the value, or {@code null} (a tombstone on compacted topics)
 * @param headers the headers in order, possibly empty
 * @param partition the partition the caller names, or empty to let the topic's partitioner choose
 * @param timestamp the record's create time in epoch milliseconds, or empty for the broker's clock
 */
@ProviderType
public record ProducerRecord(String topic, byte[] key, byte[] value, List<Header> headers, OptionalInt partition,
        OptionalLong timestamp) {

    /** @throws NullPointerException if topic, headers, partition or timestamp is {@code null} */
    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        headers = List.copyOf(headers);
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(timestamp, "timestamp");
        if (partition.isPresent() && partition.getAsInt() < 0) {
            throw new IllegalArgumentException("partition " + partition.getAsInt() + " is negative");
        }
    }

    /** A record placed by the topic's partitioner, without headers, stamped with the broker's clock. */
    public static ProducerRecord of(String topic, byte[] key, byte[] value) {
        return new ProducerRecord(topic, key, value, List.of(), OptionalInt.empty(), OptionalLong.empty());
    }

    /** This record, sent to {@code partition} instead of where the partitioner would put it. */
    public ProducerRecord toPartition(int partition) {
        return new ProducerRecord(topic, key, value, headers, OptionalInt.of(partition), timestamp);
    }

    /** This record with these headers. */
    public ProducerRecord withHeaders(List<Header> newHeaders) {
        return new ProducerRecord(topic, key, value, newHeaders, partition, timestamp);
    }
}
