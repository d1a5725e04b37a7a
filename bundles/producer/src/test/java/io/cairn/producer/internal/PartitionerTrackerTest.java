package io.cairn.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cairn.partitioner.spi.Partitioner;

class PartitionerTrackerTest {

    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);
    private final PartitionerTracker tracker = new PartitionerTracker(timer, timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void highestRankingWinsAndLowerTakesOverWhenItLeaves() {
        Partitioner low = r -> 0;
        Partitioner high = r -> 1;
        tracker.add("keyhash", 10, 0, low);
        tracker.add("keyhash", 11, 5, high);
        assertSame(high, tracker.current("keyhash").orElseThrow());
        tracker.remove(11);
        assertSame(low, tracker.current("keyhash").orElseThrow());
    }

    @Test
    void missingPartitionerIsAwaitedThenNeverReplacedByAnotherName() throws Exception {
        tracker.add("roundrobin", 1, 0, r -> 0);
        CompletableFuture<Partitioner> waiting = tracker.await("header", 300, () -> new IllegalStateException("gone"));
        assertFalse(waiting.isDone());
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void replacementArrivingInTimeCompletesTheWait() throws Exception {
        CompletableFuture<Partitioner> waiting = tracker.await("header", 10_000, () -> new IllegalStateException("gone"));
        Partitioner replacement = r -> 2;
        tracker.add("header", 7, 0, replacement);
        assertSame(replacement, waiting.get(5, TimeUnit.SECONDS));
        assertTrue(tracker.current("header").isPresent());
        assertEquals(1, timer.shutdownNow().size(), "the deadline was still scheduled");
    }
}
