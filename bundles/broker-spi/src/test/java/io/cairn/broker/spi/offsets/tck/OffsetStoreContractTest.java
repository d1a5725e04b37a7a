package io.cairn.broker.spi.offsets.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The offset store contract (see the package documentation of {@code io.cairn.broker.spi.offsets}):
 * every store extends this class. A store that keeps offsets across restarts also implements
 * {@link #reopen}, which turns on the durability checks.
 */
public abstract class OffsetStoreContractTest {

    private static final long T = 1_700_000_000_000L;

    /** The store under test; reassigned by {@link #restart()}. */
    protected OffsetStore store;

    /** A new, empty store. */
    protected abstract OffsetStore createStore() throws Exception;

    /**
     * Closes {@code store} as a broker stop would and opens it again over the same data; {@code null}
     * if this store does not keep data across restarts (the durability checks are then skipped).
     */
    protected OffsetStore reopen(OffsetStore old) throws Exception {
        return null;
    }

    /** Releases the store after each test. */
    protected void close(OffsetStore store) throws Exception {
    }

    @BeforeEach
    void open() throws Exception {
        store = createStore();
    }

    @AfterEach
    void release() throws Exception {
        if (store != null) {
            close(store);
        }
    }

    private void restart() throws Exception {
        OffsetStore next = reopen(store);
        assumeTrue(next != null, "this store does not keep offsets across restarts");
        store = next;
    }

    protected static CommittedOffset offset(String topic, int partition, long offset) {
        return new CommittedOffset(topic, partition, offset, 3, "meta-" + offset, T + offset);
    }

    private Map<PartitionKey, CommittedOffset> fetch(String group) throws Exception {
        Map<PartitionKey, CommittedOffset> byKey = new TreeMap<>();
        for (CommittedOffset o : store.fetch(group)) {
            assertEquals(null, byKey.put(o.key(), o), "one offset per partition");
        }
        return byKey;
    }

    @Test
    public void anUnknownGroupHasNoOffsets() throws Exception {
        assertTrue(store.fetch("nobody").isEmpty());
        assertTrue(store.groups().isEmpty());
    }

    @Test
    public void whatIsCommittedIsFetchedExactly() throws Exception {
        CommittedOffset a = new CommittedOffset("orders", 0, 42, 7, "processed up to 41", T);
        CommittedOffset b = new CommittedOffset("orders", 1, 0, -1, "", T + 1);
        CommittedOffset c = new CommittedOffset("payments.eu", 17, Long.MAX_VALUE - 1, 0, "ünïcødé ✓ \t\n", T + 2);
        store.commit("g", List.of(a, b, c));
        assertEquals(Map.of(a.key(), a, b.key(), b, c.key(), c), fetch("g"));
        assertEquals(Set.of("g"), store.groups());
    }

    @Test
    public void aCommitReplacesEarlierOnesEvenWithALowerOffset() throws Exception {
        store.commit("g", List.of(offset("t", 0, 100), offset("t", 1, 5)));
        store.commit("g", List.of(offset("t", 0, 50)));
        assertEquals(Map.of(new PartitionKey("t", 0), offset("t", 0, 50), new PartitionKey("t", 1), offset("t", 1, 5)),
                fetch("g"));
    }

    @Test
    public void groupsAreSeparate() throws Exception {
        store.commit("a", List.of(offset("t", 0, 1)));
        store.commit("b", List.of(offset("t", 0, 2)));
        assertEquals(1, fetch("a").get(new PartitionKey("t", 0)).offset());
        assertEquals(2, fetch("b").get(new PartitionKey("t", 0)).offset());
        assertEquals(Set.of("a", "b"), store.groups());
    }

    @Test
    public void deletingPartitionsLeavesTheOthers() throws Exception {
        store.commit("g", List.of(offset("t", 0, 1), offset("t", 1, 2), offset("u", 0, 3)));
        store.delete("g", List.of(new PartitionKey("t", 1), new PartitionKey("absent", 9)));
        assertEquals(Set.of(new PartitionKey("t", 0), new PartitionKey("u", 0)), fetch("g").keySet());
        store.delete("g", List.of(new PartitionKey("t", 0), new PartitionKey("u", 0)));
        assertTrue(store.fetch("g").isEmpty());
        assertTrue(store.groups().isEmpty(), "a group without offsets is not listed");
        store.delete("never", List.of(new PartitionKey("t", 0)));
    }

    @Test
    public void deletingAGroupRemovesEveryOffsetOfItOnly() throws Exception {
        store.commit("g", List.of(offset("t", 0, 1), offset("t", 1, 2)));
        store.commit("h", List.of(offset("t", 0, 7)));
        store.deleteGroup("g");
        store.deleteGroup("never");
        assertTrue(store.fetch("g").isEmpty());
        assertEquals(Set.of("h"), store.groups());
        store.commit("g", List.of(offset("t", 0, 9)));
        assertEquals(Set.of(new PartitionKey("t", 0)), fetch("g").keySet(), "a deleted group starts afresh");
    }

    @Test
    public void manyPartitionsInOneCommit() throws Exception {
        List<CommittedOffset> all = new ArrayList<>();
        for (int p = 0; p < 1000; p++) {
            all.add(offset("wide", p, p * 10L));
        }
        store.commit("g", all);
        List<CommittedOffset> back = new ArrayList<>(store.fetch("g"));
        back.sort(Comparator.comparing(CommittedOffset::key));
        assertEquals(all, back);
    }

    @Test
    public void groupsCommitConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int g = 0; g < 8; g++) {
                String group = "g" + g;
                done.add(pool.submit(() -> {
                    for (long o = 1; o <= 50; o++) {
                        store.commit(group, List.of(offset("t", 0, o), offset("t", 1, o * 2)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int g = 0; g < 8; g++) {
            assertEquals(Map.of(new PartitionKey("t", 0), offset("t", 0, 50), new PartitionKey("t", 1), offset("t", 1, 100)),
                    fetch("g" + g));
        }
    }

    @Test
    public void everythingSurvivesARestart() throws Exception {
        store.commit("g", List.of(offset("t", 0, 1), offset("t", 1, 2), offset("u", 0, 3)));
        store.commit("g", List.of(offset("t", 0, 10)));
        store.commit("h", List.of(offset("t", 0, 5)));
        store.commit("gone", List.of(offset("t", 0, 5)));
        store.delete("g", List.of(new PartitionKey("u", 0)));
        store.deleteGroup("gone");
        restart();
        assertEquals(Map.of(new PartitionKey("t", 0), offset("t", 0, 10), new PartitionKey("t", 1), offset("t", 1, 2)),
                fetch("g"));
        assertEquals(Map.of(new PartitionKey("t", 0), offset("t", 0, 5)), fetch("h"));
        assertEquals(Set.of("g", "h"), store.groups());
        store.commit("g", List.of(offset("t", 1, 20)));
        restart();
        assertEquals(20, fetch("g").get(new PartitionKey("t", 1)).offset(), "commits after a restart are kept too");
    }
}
