package io.cairn.partitioner.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses the partition of one record.
 *
 * <p>Implementations are called concurrently from many threads and must be thread-safe. They must
 * be deterministic where they promise placement (a key-hash partitioner sends the same key to the
 * same partition for the same partition count, whoever asks), and must not block: no I/O.
 */
@ConsumerType
public interface Partitioner {

    /** The service property that names a partitioner, e.g. {@code keyhash}. */
    String NAME_PROPERTY = "cairn.name";

    /**
     * Chooses a partition.
     *
     * @param record the record and the topic's partitions
     * @return a partition number in {@code [0, record.partitionCount())}
     * @throws PartitionerException if this partitioner cannot place the record (for example an
     *     explicit partitioner given a record without a partition); the caller reports it
     */
    int partition(PartitionRequest record);
}
