package io.cairn.partitioner.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses the partition of one record, where Cairn rather than the client chooses it.
 *
 * <p>Register an implementation as an OSGi service with the property {@value #NAME_PROPERTY}; a
 * topic selects it by that name in its {@code cairn.partitioner} configuration. The rules it must
 * keep are in the {@linkplain io.cairn.partitioner.spi package description}; in short:
 * <ul>
 * <li>it is called concurrently from many threads, so it is thread-safe, and it never blocks;</li>
 * <li>a record that names a partition goes there, and one that names a partition the topic does
 * not have is refused with {@link PartitionerException};</li>
 * <li>placement by a part of the record (key, header) is stable: same part and partition count,
 * same partition, whoever asks and whatever the leaders;</li>
 * <li>the only exception it throws on purpose is {@link PartitionerException}.</li>
 * </ul>
 * Integrators run {@code io.cairn.partitioner.spi.tck.PartitionerContract} (test jar
 * {@code io.cairn:partitioner-spi:tests}) against their implementation to check these.
 */
@ConsumerType
public interface Partitioner {

    /** The service property that names a partitioner, e.g. {@code keyhash}. */
    String NAME_PROPERTY = "cairn.name";

    /**
     * Chooses a partition. The request's buffers are valid only during this call.
     *
     * @param record the record and the topic's partitions
     * @return a partition number in {@code [0, record.partitionCount())}
     * @throws PartitionerException if this partitioner cannot place the record: the record names
     *     a partition the topic does not have, or lacks what this partitioner needs (an explicit
     *     partitioner given a record without a partition). The message is shown to the producer.
     */
    int partition(PartitionRequest record);
}
