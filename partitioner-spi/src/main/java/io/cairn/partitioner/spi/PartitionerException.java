package io.cairn.partitioner.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A partitioner cannot place a record. The message says why, in terms the producer understands,
 * and is shown to it; the caller refuses the record and does not retry it, since the same record
 * would be refused again.
 */
@ProviderType
public class PartitionerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message why the record cannot be placed, shown to the producer */
    public PartitionerException(String message) {
        super(message);
    }

    /**
     * @param message why the record cannot be placed, shown to the producer
     * @param cause what went wrong underneath
     */
    public PartitionerException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The refusal of a record that names a partition the topic does not have, worded alike by
     * every partitioner.
     *
     * @param topic the topic
     * @param partition the partition the record names
     * @param partitionCount how many partitions the topic has
     * @return the exception to throw
     */
    public static PartitionerException noSuchPartition(String topic, int partition, int partitionCount) {
        return new PartitionerException("Topic '" + topic + "' has no partition " + partition + ": its partitions are 0 to "
                + (partitionCount - 1));
    }
}
