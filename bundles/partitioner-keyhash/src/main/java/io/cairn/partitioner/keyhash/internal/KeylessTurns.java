package io.cairn.partitioner.keyhash.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.cairn.partitioner.spi.Murmur2;
import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;

/**
 * Where keyless records go: in turn over a topic's partitions with a leader, or over all of them
 * when none has one. One lock-free counter per topic, starting at a random turn so that brokers do
 * not all begin with partition 0. Thread-safe.
 */
final class KeylessTurns {

    private final ConcurrentMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    int next(PartitionRequest record) {
        AtomicInteger counter = turns.get(record.topic());
        if (counter == null) {
            // Random start below 2^30, far from the wrap at 2^31 where one turn would repeat.
            counter = turns.computeIfAbsent(record.topic(),
                    t -> new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 30)));
        }
        int turn = Murmur2.toPositive(counter.getAndIncrement());
        List<PartitionInfo> available = record.availablePartitions();
        return available.isEmpty() ? turn % record.partitionCount() : available.get(turn % available.size()).partition();
    }
}
