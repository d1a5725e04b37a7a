package io.cairn.partitioner.spi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** What {@link PartitionRequest.Builder} builds. Immutable, so safe to share between threads. */
final class ImmutablePartitionRequest implements PartitionRequest {

    private final String topic;
    private final ByteBuffer key;
    private final ByteBuffer value;
    private final List<RecordHeader> headers;
    private final OptionalInt requestedPartition;
    private final List<PartitionInfo> partitions;
    private final List<PartitionInfo> available;

    ImmutablePartitionRequest(String topic, ByteBuffer key, ByteBuffer value, List<RecordHeader> headers,
            int requestedPartition, List<PartitionInfo> partitions) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' has no partitions");
        }
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).partition() != i) {
                throw new IllegalArgumentException("partitions of topic '" + topic + "' are not 0 to "
                        + (partitions.size() - 1) + " in order: element " + i + " is " + partitions.get(i));
            }
        }
        this.topic = topic;
        this.key = readOnly(key);
        this.value = readOnly(value);
        this.headers = List.copyOf(headers);
        this.requestedPartition = requestedPartition < 0 ? OptionalInt.empty() : OptionalInt.of(requestedPartition);
        this.partitions = partitions;
        this.available = partitions.stream().filter(PartitionInfo::available).collect(Collectors.toUnmodifiableList());
    }

    private static ByteBuffer readOnly(ByteBuffer b) {
        return b == null ? null : b.slice().asReadOnlyBuffer();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public ByteBuffer key() {
        return key == null ? null : key.duplicate();
    }

    @Override
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    @Override
    public List<RecordHeader> headers() {
        return headers;
    }

    @Override
    public OptionalInt requestedPartition() {
        return requestedPartition;
    }

    @Override
    public int partitionCount() {
        return partitions.size();
    }

    @Override
    public List<PartitionInfo> partitions() {
        return partitions;
    }

    @Override
    public List<PartitionInfo> availablePartitions() {
        return available;
    }

    @Override
    public String toString() {
        return "PartitionRequest[topic=" + topic + ", key=" + (key == null ? "null" : key.remaining() + " bytes")
                + ", headers=" + headers.size() + ", requestedPartition=" + requestedPartition + ", partitions="
                + partitions.size() + " (" + available.size() + " with a leader)]";
    }
}
