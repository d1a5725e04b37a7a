package io.cairn.partitioner.keyhash.internal;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;

import io.cairn.partitioner.spi.Murmur2;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;

/**
 * {@code keyhash}, the default: Kafka's placement. A record that names its partition goes there. A
 * keyed record goes to {@code toPositive(murmur2(key)) % partitionCount}, bit for bit what
 * {@code kafka-clients}' default partitioner computes — so a key lands in the same partition
 * whether Cairn or a Java, librdkafka ({@code murmur2_random}) or KafkaJS producer placed it. An
 * empty key is a key and is hashed, as Kafka does; whether the partition has a leader does not
 * matter, since moving a key elsewhere would break its order.
 *
 * <p>A record without a key is not hashed. Kafka's Java producer sticks to one partition per batch
 * for those; a broker placing records one at a time has no batch to stick to, so keyless records
 * are dealt out in turn over the partitions with a leader ({@link KeylessTurns}), which is what the
 * Java producer did before sticky partitioning and what librdkafka's {@code murmur2_random} does
 * with a random pick.
 *
 * <p>Thread-safe: the key hash is a pure function; keyless turns are lock-free counters.
 */
@Component(property = Partitioner.NAME_PROPERTY + "=keyhash")
public final class KeyHashPartitioner implements Partitioner {

    private final KeylessTurns keyless = new KeylessTurns();

    @Override
    public int partition(PartitionRequest record) {
        int count = record.partitionCount();
        if (record.requestedPartition().isPresent()) {
            int named = record.requestedPartition().getAsInt();
            if (named >= count) {
                throw PartitionerException.noSuchPartition(record.topic(), named, count);
            }
            return named;
        }
        ByteBuffer key = record.key();
        return key == null ? keyless.next(record) : Murmur2.partitionForKey(key, count);
    }
}
