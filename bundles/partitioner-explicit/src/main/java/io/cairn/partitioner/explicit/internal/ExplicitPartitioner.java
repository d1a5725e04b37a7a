package io.cairn.partitioner.explicit.internal;

import org.osgi.service.component.annotations.Component;

import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;

/**
 * {@code explicit}: the producer names every record's partition, and Cairn never chooses one. For
 * topics whose placement the application owns entirely, where a record that silently landed in a
 * partition of the broker's choosing would be a bug. A record without a partition, or with one the
 * topic does not have, is refused. Leaders play no part: a named partition without a leader is
 * still the one the producer asked for. Stateless, so thread-safe.
 */
@Component(property = Partitioner.NAME_PROPERTY + "=explicit")
public final class ExplicitPartitioner implements Partitioner {

    @Override
    public int partition(PartitionRequest record) {
        int count = record.partitionCount();
        int partition = record.requestedPartition().orElseThrow(() -> new PartitionerException("Topic '"
                + record.topic() + "' uses the explicit partitioner: every record must name its partition (0 to "
                + (count - 1) + "), and this one names none"));
        if (partition >= count) {
            throw PartitionerException.noSuchPartition(record.topic(), partition, count);
        }
        return partition;
    }
}
