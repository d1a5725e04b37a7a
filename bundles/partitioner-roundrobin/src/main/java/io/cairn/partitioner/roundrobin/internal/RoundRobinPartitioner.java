package io.cairn.partitioner.roundrobin.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;

import io.cairn.partitioner.spi.Murmur2;
import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;

/**
 * {@code roundrobin}: records are dealt out in turn over the topic's partitions that have a leader,
 * keys or not, as Kafka's {@code RoundRobinPartitioner} does. A record that names its partition
 * goes there.
 *
 * <p>Each topic has its own turn counter, so records of one topic are spread evenly however they
 * interleave with other topics': over any run of calls while the set of partitions with a leader
 * stays the same, no partition gets more than one record more than another — also under concurrent
 * calls, since every turn is handed out exactly once. When no partition has a leader, records are
 * dealt over all partitions (the caller then waits for a leader, as for any placement). A counter
 * starts at a random turn, so that many brokers or producers do not all begin with partition 0.
 *
 * <p>Thread-safe and lock-free on the hot path. One counter per topic ever seen by this instance;
 * a deleted topic's counter stays until the bundle is restarted (a few dozen bytes).
 */
@Component(property = Partitioner.NAME_PROPERTY + "=roundrobin")
public final class RoundRobinPartitioner implements Partitioner {

    private final ConcurrentMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    @Override
    public int partition(PartitionRequest record) {
        if (record.requestedPartition().isPresent()) {
            int named = record.requestedPartition().getAsInt();
            if (named >= record.partitionCount()) {
                throw PartitionerException.noSuchPartition(record.topic(), named, record.partitionCount());
            }
            return named;
        }
        int turn = Murmur2.toPositive(counter(record.topic()).getAndIncrement());
        List<PartitionInfo> available = record.availablePartitions();
        return available.isEmpty() ? turn % record.partitionCount() : available.get(turn % available.size()).partition();
    }

    private AtomicInteger counter(String topic) {
        AtomicInteger counter = turns.get(topic);
        if (counter == null) {
            // Random start below 2^30, far from the wrap at 2^31 where one turn would repeat.
            counter = turns.computeIfAbsent(topic, t -> new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 30)));
        }
        return counter;
    }
}
