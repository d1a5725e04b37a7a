package io.cairn.partitioner.roundrobin.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.tck.PartitionerContract;
import io.cairn.partitioner.spi.tck.RandomRecords;

class RoundRobinPartitionerTest extends PartitionerContract {

    @Override
    protected Partitioner createPartitioner() {
        return new RoundRobinPartitioner();
    }

    private int[] deal(PartitionRequest record, int times) {
        int[] counts = new int[record.partitionCount()];
        for (int i = 0; i < times; i++) {
            counts[partitioner().partition(record)]++;
        }
        return counts;
    }

    private static int[] filled(int length, int value) {
        int[] a = new int[length];
        Arrays.fill(a, value);
        return a;
    }

    @Test
    void everyPartitionGetsTheSameNumberOfRecordsWhateverTheirKeys() {
        PartitionRequest sameKey = PartitionRequest.builder("t", RandomRecords.led(6)).key(new byte[] {7}).build();

        assertArrayEquals(filled(6, 1_000), deal(sameKey, 6_000));
    }

    @Test
    void consecutiveRecordsGoToConsecutivePartitions() {
        PartitionRequest record = PartitionRequest.builder("t", RandomRecords.led(5)).build();
        int first = partitioner().partition(record);

        for (int i = 1; i < 20; i++) {
            assertEquals((first + i) % 5, partitioner().partition(record));
        }
    }

    @Test
    void partitionsWithoutALeaderAreSkipped() {
        List<PartitionInfo> partitions = new ArrayList<>(RandomRecords.led(6));
        partitions.set(1, new PartitionInfo(1, PartitionInfo.NO_LEADER));
        partitions.set(4, new PartitionInfo(4, PartitionInfo.NO_LEADER));

        assertArrayEquals(new int[] {1_000, 0, 1_000, 1_000, 0, 1_000},
                deal(PartitionRequest.builder("t", partitions).build(), 4_000));
    }

    @Test
    void withNoLeaderAnywhereRecordsAreDealtOverAllPartitions() {
        PartitionRequest record = PartitionRequest.builder("t", records().partitions(4, 1.0)).build();

        assertArrayEquals(filled(4, 250), deal(record, 1_000));
    }

    @Test
    void eachTopicIsSpreadEvenlyHoweverTopicsInterleave() {
        PartitionRequest three = PartitionRequest.builder("three", RandomRecords.led(3)).build();
        PartitionRequest seven = PartitionRequest.builder("seven", RandomRecords.led(7)).build();
        int[] threeCounts = new int[3];
        int[] sevenCounts = new int[7];
        for (int i = 0; i < 21_000; i++) {
            if (records().random().nextBoolean()) {
                threeCounts[partitioner().partition(three)]++;
            } else {
                sevenCounts[partitioner().partition(seven)]++;
            }
        }
        assertSpreadWithinOne(threeCounts);
        assertSpreadWithinOne(sevenCounts);
    }

    @Test
    void concurrentCallersTogetherGetAnExactlyEvenSpread() throws Exception {
        PartitionRequest record = PartitionRequest.builder("t", RandomRecords.led(6)).build();
        int threads = 4;
        int perThread = 30_000;
        AtomicIntegerArray counts = new AtomicIntegerArray(6);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        counts.incrementAndGet(partitioner().partition(record));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int p = 0; p < 6; p++) {
            assertEquals(threads * perThread / 6, counts.get(p), "partition " + p);
        }
    }

    private static void assertSpreadWithinOne(int[] counts) {
        int min = Arrays.stream(counts).min().orElseThrow();
        int max = Arrays.stream(counts).max().orElseThrow();
        assertTrue(max - min <= 1, "spread " + Arrays.toString(counts));
    }
}
