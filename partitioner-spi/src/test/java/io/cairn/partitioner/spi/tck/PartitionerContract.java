package io.cairn.partitioner.spi.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;

/**
 * The contract every {@link Partitioner} must keep, as JUnit 5 tests over many random records. A
 * partitioner's test class extends this, says how to make the partitioner, and, where the
 * partitioner promises more or needs more than the defaults assume, overrides
 * {@link #requiresRequestedPartition()}, {@link #placesStably(PartitionRequest)} or
 * {@link #decorate(PartitionRequest.Builder, Random)}.
 *
 * <p>Random inputs come from one seed per test, printed in every failure message; run again with
 * {@code -Dcairn.tck.seed=<seed>} to repeat a failure exactly.
 */
public abstract class PartitionerContract {

    /** Random records per test. */
    protected static final int RECORDS = 10_000;
    /** How long the concurrent test may take before it counts as hung. */
    private static final long CONCURRENT_TIMEOUT_SECONDS = 60;

    private Partitioner partitioner;
    private long seed;
    private RandomRecords records;

    /** A new partitioner, as its bundle would make it; called once per test, and again where a test needs a second instance. */
    protected abstract Partitioner createPartitioner() throws Exception;

    /** Releases what {@link #createPartitioner()} made; called after each test for the first instance. */
    protected void disposePartitioner(Partitioner partitioner) throws Exception {
    }

    /**
     * Whether the partitioner places only records that name their partition and refuses the
     * others, as an explicit partitioner does. Then every random record names one.
     */
    protected boolean requiresRequestedPartition() {
        return false;
    }

    /**
     * Whether the partitioner promises the same partition for this record whatever the leaders,
     * the value, the thread or the instance (placement by key or by header). A record that names
     * its partition is placed stably by every partitioner; override to add the records this one
     * places by their content, and the contract checks that promise.
     */
    protected boolean placesStably(PartitionRequest record) {
        return record.requestedPartition().isPresent();
    }

    /**
     * Adds to a random record what this partitioner reads besides key, value and the random
     * headers (for example the header it partitions by, in some records). Does nothing by default.
     */
    protected void decorate(PartitionRequest.Builder record, Random random) {
    }

    @BeforeEach
    final void createPartitionerForTest() throws Exception {
        seed = Long.getLong("cairn.tck.seed", System.nanoTime());
        records = new RandomRecords(new Random(seed));
        partitioner = createPartitioner();
    }

    @AfterEach
    final void disposePartitionerAfterTest() throws Exception {
        disposePartitioner(partitioner);
    }

    /** The partitioner under test. */
    protected final Partitioner partitioner() {
        return partitioner;
    }

    /** This test's random records. */
    protected final RandomRecords records() {
        return records;
    }

    /** The seed of this test's random inputs, for failure messages. */
    protected final String seed() {
        return "(-Dcairn.tck.seed=" + seed + ")";
    }

    /** A random record this partitioner should accept: named partition where it needs one, sometimes otherwise. */
    protected final PartitionRequest acceptableRecord(String topic, List<PartitionInfo> partitions) {
        PartitionRequest.Builder b = records.record(topic, partitions);
        decorate(b, records.random());
        if (requiresRequestedPartition() || records.random().nextInt(5) == 0) {
            b.requestedPartition(records.random().nextInt(partitions.size()));
        }
        return b.build();
    }

    private PartitionRequest acceptableRecord() {
        return acceptableRecord("topic-" + records.random().nextInt(8), records.partitions(records.partitionCount(), 0.2));
    }

    private int place(PartitionRequest record) {
        try {
            return partitioner.partition(record);
        } catch (RuntimeException e) {
            throw new AssertionError("refused or failed on a record it should place: " + record + " " + seed(), e);
        }
    }

    private void assertInRange(int partition, PartitionRequest record) {
        assertTrue(partition >= 0 && partition < record.partitionCount(),
                "partition " + partition + " out of [0, " + record.partitionCount() + ") for " + record + " " + seed());
    }

    @Test
    void everyPlacementIsInRangeAndNoValidRecordIsRefused() {
        for (int i = 0; i < RECORDS; i++) {
            PartitionRequest record = acceptableRecord();
            assertInRange(place(record), record);
        }
    }

    @Test
    void aNamedPartitionWins() {
        for (int i = 0; i < RECORDS; i++) {
            List<PartitionInfo> partitions = records.partitions(records.partitionCount(), 0.2);
            int named = records.random().nextInt(partitions.size());
            PartitionRequest.Builder b = records.record("named", partitions);
            decorate(b, records.random());
            PartitionRequest record = b.requestedPartition(named).build();
            assertEquals(named, place(record), "the producer named partition " + named + ": " + record + " " + seed());
        }
    }

    @Test
    void aNamedPartitionTheTopicLacksIsRefusedWithAMessage() {
        for (int count : new int[] {1, 3, 12}) {
            for (int named : new int[] {count, count + 1, Integer.MAX_VALUE}) {
                PartitionRequest.Builder b = records.record("orders", records.partitions(count, 0.2));
                decorate(b, records.random());
                PartitionRequest record = b.requestedPartition(named).build();
                PartitionerException e = assertThrows(PartitionerException.class, () -> partitioner.partition(record),
                        "partition " + named + " of a topic with " + count + " " + seed());
                assertMentions(e, "orders", String.valueOf(named));
            }
        }
    }

    @Test
    void aTopicWithOnePartitionAlwaysGetsPartitionZero() {
        for (int i = 0; i < RECORDS / 10; i++) {
            PartitionRequest record = acceptableRecord("single", records.partitions(1, 0.3));
            assertEquals(0, place(record), record + " " + seed());
        }
    }

    @Test
    void recordsAreStillPlacedWhenNoPartitionHasALeader() {
        for (int i = 0; i < RECORDS / 10; i++) {
            PartitionRequest record = acceptableRecord("offline", records.partitions(records.partitionCount(), 1.0));
            assertInRange(place(record), record);
        }
    }

    @Test
    void stablePlacementIgnoresLeadersValueAndInstance() throws Exception {
        Partitioner other = createPartitioner();
        int checked = 0;
        for (int i = 0; i < RECORDS; i++) {
            List<PartitionInfo> partitions = records.partitions(records.partitionCount(), 0.2);
            PartitionRequest record = acceptableRecord("stable", partitions);
            if (!placesStably(record)) {
                continue;
            }
            checked++;
            int expected = place(record);
            PartitionRequest.Builder variant = PartitionRequest.builder(record.topic(),
                    records.partitions(partitions.size(), 0.5)).key(record.key()).value(records.bytes(32))
                    .headers(record.headers());
            record.requestedPartition().ifPresent(variant::requestedPartition);
            PartitionRequest changed = variant.build();
            assertTrue(placesStably(changed), "still a stable record with other leaders and value: " + changed);
            assertEquals(expected, place(changed), "other leaders and value, same placement: " + record + " " + seed());
            assertEquals(expected, other.partition(record), "another instance, same placement: " + record + " " + seed());
        }
        assertTrue(checked > 0, "no random record was placed stably " + seed());
        disposePartitioner(other);
    }

    @Test
    void concurrentCallsAreSafeAndAgreeWithSequentialOnes() throws Exception {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
        int rounds = 5;
        List<PartitionRequest> batch = new ArrayList<>();
        int[] sequential = new int[2_000];
        for (int i = 0; i < sequential.length; i++) {
            batch.add(acceptableRecord());
            sequential[i] = place(batch.get(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * sequential.length / threads;
                results.add(pool.submit(() -> {
                    start.await();
                    int[] seen = new int[sequential.length];
                    for (int r = 0; r < rounds; r++) {
                        for (int j = 0; j < sequential.length; j++) {
                            int i = (offset + j) % sequential.length;
                            seen[i] = partitioner.partition(batch.get(i));
                            if (placesStably(batch.get(i)) && seen[i] != sequential[i]) {
                                throw new AssertionError("concurrently " + seen[i] + ", sequentially " + sequential[i]
                                        + " for " + batch.get(i));
                            }
                        }
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (Future<int[]> f : results) {
                int[] seen = f.get(CONCURRENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                for (int i = 0; i < seen.length; i++) {
                    assertInRange(seen[i], batch.get(i));
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            fail("a concurrent call failed " + seed(), e.getCause());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "partitioner threads did not stop");
        }
    }

    @Test
    void aRecordWithoutANamedPartitionIsRefusedWithAMessageIfOneIsRequired() {
        assumeTrue(requiresRequestedPartition(), "this partitioner places records that name no partition");
        PartitionRequest.Builder b = records.record("payments", records.partitions(4, 0.0)).key(new byte[] {1, 2});
        decorate(b, records.random());
        PartitionerException e = assertThrows(PartitionerException.class, () -> partitioner.partition(b.build()));
        assertMentions(e, "payments");
    }

    private void assertMentions(PartitionerException e, String... words) {
        String message = e.getMessage();
        assertTrue(message != null && !message.isBlank(), "a refusal says why " + seed());
        for (String w : words) {
            assertTrue(message.contains(w), "the message \"" + message + "\" names " + w + " " + seed());
        }
    }
}
