package io.cairn.group.coordinator.internal;

import static io.cairn.group.coordinator.internal.Harness.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * Switching the offset store while a consumer commits: by configuration, by a better-ranked
 * replacement, and by the serving store leaving. No acknowledged commit is lost, and no fetch ever
 * sees an offset go backwards.
 */
class StoreSwitchTest {

    private final ExecutorService io = Executors.newFixedThreadPool(4);
    private final ExecutorService committer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        committer.shutdownNow();
        io.shutdownNow();
    }

    private static OffsetCommitRequest commit(String group, long offset) {
        return new OffsetCommitRequest(group, -1, "", Optional.empty(),
                List.of(new OffsetCommit("t", 0, offset, 2, "at " + offset)));
    }

    private static long fetched(CoordinatorCore c, String group) throws Exception {
        List<FetchedOffset> r = c.fetchOffsets(new OffsetFetchRequest(group, Optional.of(List.of(new PartitionKey("t", 0))),
                false, Optional.empty(), -1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        return r.get(0).offset();
    }

    private static void awaitProgress(AtomicLong acked, long by) throws InterruptedException {
        long target = acked.get() + by;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acked.get() < target) {
            assertTrue(System.nanoTime() < deadline, "commits stopped flowing at " + acked.get());
            Thread.sleep(1);
        }
    }

    @Test
    void commitsKeepFlowingWhileTheStoreIsSwitchedAgainAndAgain() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        CoordinatorConfig config = CoordinatorConfig.defaults();
        SelectedOffsetStore selected = new SelectedOffsetStore("file", clock, io, config::pluginWaitMs);
        CoordinatorCore coordinator = new CoordinatorCore(clock, () -> config, selected);
        MemoryOffsetStore fileA = new MemoryOffsetStore();
        MemoryOffsetStore topicB = new MemoryOffsetStore();
        MemoryOffsetStore topicC = new MemoryOffsetStore();
        MemoryOffsetStore fileD = new MemoryOffsetStore();
        // B holds leftovers of an earlier period of service: they must not come back.
        topicB.commit("ghost", List.of(new CommittedOffset("t", 0, 99, -1, "", 0)));
        topicB.commit("other", List.of(new CommittedOffset("t", 0, 1_000_000, -1, "", 0)));
        selected.added(new SelectedOffsetStore.Candidate(1, 0, "file", fileA));
        selected.added(new SelectedOffsetStore.Candidate(2, 0, "topic", topicB));
        coordinator.commitOffsets(commit("other", 5)).toCompletableFuture().get(30, TimeUnit.SECONDS);

        int total = 3_000;
        // The test hands out commits in slices, so that every switch happens with commits in
        // flight and the consumer cannot finish before the last switch.
        Semaphore permits = new Semaphore(0);
        AtomicLong acked = new AtomicLong();
        Future<?> consumer = committer.submit(() -> {
            long seen = -1;
            for (long i = 1; i <= total; i++) {
                permits.acquire();
                List<PartitionResult> r = coordinator.commitOffsets(commit("g", i)).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                assertEquals(Optional.empty(), r.get(0).error(), "commit " + i);
                acked.set(i);
                long now = fetched(coordinator, "g");
                assertTrue(now >= i && now >= seen, "fetched " + now + " after acknowledging " + i + " (saw " + seen + ")");
                seen = now;
            }
            return null;
        });

        int slice = 300;
        permits.release(slice);
        awaitProgress(acked, slice / 2);
        selected.select("topic"); // configuration change: A → B
        assertSame(topicB, selected.servingStore());
        permits.release(slice);
        awaitProgress(acked, slice / 2);
        selected.added(new SelectedOffsetStore.Candidate(3, 10, "topic", topicC)); // better-ranked replacement: B → C
        assertSame(topicC, selected.servingStore());
        permits.release(slice);
        awaitProgress(acked, slice / 2);
        selected.removed(3); // C leaves; it still answers while it is unbound: C → B
        assertSame(topicB, selected.servingStore());
        permits.release(slice);
        awaitProgress(acked, slice / 2);
        selected.select("file"); // back to A, which holds stale offsets of g: B → A
        assertSame(fileA, selected.servingStore());
        permits.release(slice);
        awaitProgress(acked, slice / 2);
        selected.removed(1); // A leaves with no successor: its offsets wait in memory, commits wait
        assertNull(selected.servingStore());
        long before = acked.get();
        permits.release(slice);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (selected.waitingCalls() == 0) {
            assertTrue(System.nanoTime() < deadline, "a commit waits for a store");
            Thread.sleep(1);
        }
        assertTrue(acked.get() <= before + 1, "with no store, commits wait (at most one was in flight)");
        long parkedAt = acked.get();
        selected.added(new SelectedOffsetStore.Candidate(4, 0, "file", fileD)); // D arrives and takes them
        assertSame(fileD, selected.servingStore());
        permits.release(total);
        consumer.get(60, TimeUnit.SECONDS);

        assertTrue(parkedAt < total);
        assertEquals(total, fileD.offset("g", "t", 0), "the last acknowledged commit is in the store serving now");
        assertEquals(5, fileD.offset("other", "t", 0), "groups committed before the switches came along");
        assertEquals(-1, fileD.offset("ghost", "t", 0));
        assertEquals(-1, topicB.offset("ghost", "t", 0), "stale offsets in a store switched to were removed");
        CommittedOffset last = fileD.fetch("g").get(0);
        assertEquals(2, last.leaderEpoch());
        assertEquals("at " + total, last.metadata(), "epoch and metadata travel with the offset");
    }

    @Test
    void aStoreThatLeavesHandsItsOffsetsToTheNextOneAndWaitingCommitsLandThere() {
        Harness h = new Harness();
        done(h.coordinator.commitOffsets(commit("g", 1)));
        h.selected.removed(1);
        CompletableFuture<List<PartitionResult>> waiting = h.coordinator.commitOffsets(commit("g", 2)).toCompletableFuture();
        assertFalse(waiting.isDone());
        MemoryOffsetStore next = new MemoryOffsetStore();
        h.selected.added(new SelectedOffsetStore.Candidate(2, 0, "file", next));
        assertEquals(Optional.empty(), done(waiting).get(0).error());
        assertEquals(2, next.offset("g", "t", 0));
    }

    @Test
    void aSwitchThatCannotCopyKeepsTheOldStoreServing() {
        Harness h = new Harness();
        done(h.coordinator.commitOffsets(commit("g", 1)));
        MemoryOffsetStore broken = new MemoryOffsetStore();
        broken.failing.set(true);
        h.selected.added(new SelectedOffsetStore.Candidate(2, 0, "topic", broken));
        h.selected.select("topic");
        assertSame(h.store, h.selected.servingStore());
        done(h.coordinator.commitOffsets(commit("g", 2)));
        assertEquals(2, h.store.offset("g", "t", 0));
        broken.failing.set(false);
        h.selected.reselect();
        assertSame(broken, h.selected.servingStore());
        assertEquals(2, broken.offset("g", "t", 0));
    }

    @Test
    void switchingToAStoreThatIsNotThereYetWaitsForIt() {
        Harness h = new Harness(Map.of("cairn.plugin.wait.ms", "10000"), true);
        done(h.coordinator.commitOffsets(commit("g", 1)));
        h.selected.select("zookeeper");
        CompletableFuture<List<PartitionResult>> waiting = h.coordinator.commitOffsets(commit("g", 2)).toCompletableFuture();
        h.clock.advance(5_000);
        assertFalse(waiting.isDone());
        MemoryOffsetStore zk = new MemoryOffsetStore();
        h.selected.added(new SelectedOffsetStore.Candidate(9, 0, "zookeeper", zk));
        assertEquals(Optional.empty(), done(waiting).get(0).error());
        assertEquals(2, zk.offset("g", "t", 0));
        assertEquals(1, h.store.offset("g", "t", 0), "the old store keeps what it had");
    }
}
