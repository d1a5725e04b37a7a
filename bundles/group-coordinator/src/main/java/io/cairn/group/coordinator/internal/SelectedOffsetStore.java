package io.cairn.group.coordinator.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The offset store the coordinator serves from: the registered store named by
 * {@code cairn.offsets.store} (highest {@code service.ranking}, then lowest service id, as OSGi
 * ranks), and the hand-over when that changes.
 *
 * <h2>Calls</h2>
 * A call {@linkplain #call acquires} the serving store, runs on the I/O executor and releases it.
 * While there is no serving store — none registered under the selected name, or a switch in
 * progress — calls wait, each for at most {@code cairn.plugin.wait.ms}, and then fail with
 * {@code COORDINATOR_NOT_AVAILABLE}, which clients retry.
 *
 * <h2>Switching (no commit lost, none going backwards)</h2>
 * When the wanted store differs from the serving one — a configuration change, a replacement
 * registered with a higher ranking, the serving store unregistering, or the first store arriving
 * after one left — {@link #reselect} runs, one switch at a time:
 * <ol>
 * <li><b>Quiesce.</b> New calls wait; calls in flight on the old store finish.</li>
 * <li><b>Copy out.</b> Every group's offsets are read from the old store into a hand-over snapshot.
 * This works for a store that is unregistering too: Declarative Services unbinds a service before
 * its provider is deactivated, so the old store still answers inside {@link #removed}.</li>
 * <li><b>Copy in.</b> The new store is made equal to the snapshot: each group's offsets are written
 * exactly as they were (offset, epoch, metadata, commit time), and offsets the new store holds but
 * the snapshot does not (stale ones from an earlier period of service, deleted or expired since)
 * are deleted. If no new store is registered yet, the snapshot waits in memory for the next one.</li>
 * <li><b>Resume.</b> The new store serves; waiting calls proceed in the order they arrived.</li>
 * </ol>
 * Because no call runs between the last read of the old store and the first of the new one, every
 * acknowledged commit is in the new store and nothing older overwrites it.
 *
 * <p>Thread-safe: the state is guarded by {@code this}; switches are serialized by {@code switchLock}.
 */
final class SelectedOffsetStore {

    private static final Logger LOG = LoggerFactory.getLogger(SelectedOffsetStore.class);

    /** A registered store. */
    record Candidate(long serviceId, int ranking, String name, OffsetStore store) {
    }

    /** An operation on a store; may throw. */
    @FunctionalInterface
    interface StoreCall<T> {
        T apply(OffsetStore store) throws IOException;
    }

    private record Waiter(CompletableFuture<OffsetStore> future, Scheduler.Timer timeout) {
    }

    private final Scheduler scheduler;
    private final Executor io;
    private final LongSupplier waitMs;
    private final Object switchLock = new Object();

    private final Map<Long, Candidate> candidates = new HashMap<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private String selectedName;
    private Candidate serving;
    private boolean switching;
    private int inFlight;
    /** Offsets copied out of a store that left before a successor was there; {@code null} if none. */
    private Map<String, List<CommittedOffset>> handover;
    private String handoverFrom;
    private boolean closed;

    SelectedOffsetStore(String selectedName, Scheduler scheduler, Executor io, LongSupplier waitMs) {
        this.selectedName = selectedName;
        this.scheduler = scheduler;
        this.io = io;
        this.waitMs = waitMs;
    }

    /** Runs {@code call} on the serving store, waiting a bounded time for one. */
    <T> CompletableFuture<T> call(StoreCall<T> call) {
        return acquire().thenApplyAsync(store -> {
            try {
                return call.apply(store);
            } catch (IOException e) {
                throw new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                        "The offset store failed: " + e.getMessage(), e);
            } finally {
                release();
            }
        }, io);
    }

    private synchronized CompletableFuture<OffsetStore> acquire() {
        if (closed) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                    "The group coordinator is stopping"));
        }
        if (serving != null && !switching) {
            inFlight++;
            return CompletableFuture.completedFuture(serving.store());
        }
        CompletableFuture<OffsetStore> f = new CompletableFuture<>();
        long wait = waitMs.getAsLong();
        String name = selectedName;
        Waiter[] self = new Waiter[1];
        Scheduler.Timer timeout = scheduler.schedule(wait, () -> {
            boolean removed;
            synchronized (this) {
                removed = waiters.remove(self[0]);
            }
            if (removed) {
                f.completeExceptionally(new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                        "Offset store '" + name + "' is not available (waited " + wait + " ms)"));
            }
        });
        self[0] = new Waiter(f, timeout);
        waiters.add(self[0]);
        return f;
    }

    private synchronized void release() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /** The name of the store being served, if any. */
    /** Calls waiting for a store now (for tests). */
    synchronized int waitingCalls() {
        return waiters.size();
    }

    synchronized String servingName() {
        return serving == null ? null : serving.name();
    }

    /** The store being served, if any (for tests and shell output). */
    synchronized OffsetStore servingStore() {
        return serving == null ? null : serving.store();
    }

    /** A store service was registered. */
    void added(Candidate c) {
        synchronized (this) {
            candidates.put(c.serviceId(), c);
        }
        reselect();
    }

    /** The coordinator stops: waiting calls fail, and stores leaving from now on are not copied. */
    void close() {
        List<Waiter> failed;
        synchronized (this) {
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : failed) {
            w.timeout().cancel();
            w.future().completeExceptionally(new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                    "The group coordinator is stopping"));
        }
    }

    /** A store service is unregistering; it still answers until this returns. */
    void removed(long serviceId) {
        synchronized (this) {
            if (closed) {
                candidates.remove(serviceId);
                return;
            }
        }
        synchronized (switchLock) {
            Candidate leaving;
            synchronized (this) {
                leaving = candidates.remove(serviceId);
            }
            if (leaving != null) {
                reselectLocked();
            }
        }
    }

    /** {@code cairn.offsets.store} changed. */
    void select(String name) {
        synchronized (this) {
            if (name.equals(selectedName)) {
                return;
            }
            LOG.info("cairn.offsets.store changed from '{}' to '{}'", selectedName, name);
            selectedName = name;
        }
        reselect();
    }

    /** Brings the serving store in line with the selection, copying offsets across (see the class comment). */
    void reselect() {
        synchronized (switchLock) {
            reselectLocked();
        }
    }

    private void reselectLocked() {
        Candidate old;
        Candidate wanted;
        synchronized (this) {
            wanted = candidates.values().stream().filter(c -> c.name().equals(selectedName))
                    .max(Comparator.comparingInt(Candidate::ranking)
                            .thenComparing(Candidate::serviceId, Comparator.reverseOrder()))
                    .orElse(null);
            old = serving;
            if (old == wanted && handover == null) {
                return;
            }
            switching = true;
            while (inFlight > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    switching = false;
                    return;
                }
            }
            serving = null;
        }
        Candidate next = wanted;
        try {
            if (old != null && old != wanted) {
                Map<String, List<CommittedOffset>> snapshot = copyOut(old.store());
                synchronized (this) {
                    handover = snapshot;
                    handoverFrom = describe(old);
                }
                LOG.info("Offset store hand-over: copied {} groups out of {}", snapshot.size(), describe(old));
            }
            Map<String, List<CommittedOffset>> pending;
            synchronized (this) {
                pending = handover;
            }
            if (wanted != null && pending != null) {
                copyIn(pending, wanted.store());
                LOG.info("Offset store hand-over: {} groups from {} now in {}", pending.size(), handoverFrom,
                        describe(wanted));
                synchronized (this) {
                    handover = null;
                    handoverFrom = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            boolean oldStillThere;
            synchronized (this) {
                oldStillThere = old != null && candidates.containsKey(old.serviceId());
            }
            if (oldStillThere) {
                synchronized (this) {
                    handover = null; // the old store still holds everything, and keeps serving
                    handoverFrom = null;
                }
                LOG.error("Offset store switch from {} to {} failed; still serving from {}", describe(old),
                        describe(wanted), describe(old), e);
                next = old;
            } else {
                LOG.error("Offset store switch from {} to {} failed and the old store is gone; its offsets were not "
                        + "copied, calls wait until a store can take them", describe(old), describe(wanted), e);
                next = null;
            }
        } finally {
            List<Waiter> resumed = new ArrayList<>();
            synchronized (this) {
                serving = next;
                switching = false;
                if (serving != null) {
                    resumed.addAll(waiters);
                    inFlight += waiters.size();
                    waiters.clear();
                    LOG.info("Serving offsets from {}", describe(serving));
                } else {
                    LOG.info("No offset store '{}' registered: offset calls wait up to {} ms for one", selectedName,
                            waitMs.getAsLong());
                }
            }
            for (Waiter w : resumed) {
                w.timeout().cancel();
                if (!w.future().complete(next.store())) {
                    release();
                }
            }
        }
    }

    /** Every group's offsets, read out of {@code store}. */
    static Map<String, List<CommittedOffset>> copyOut(OffsetStore store) throws IOException {
        Map<String, List<CommittedOffset>> all = new HashMap<>();
        for (String g : store.groups()) {
            List<CommittedOffset> offsets = store.fetch(g);
            if (!offsets.isEmpty()) {
                all.put(g, List.copyOf(offsets));
            }
        }
        return all;
    }

    /** Makes {@code store} hold exactly {@code snapshot}. */
    static void copyIn(Map<String, List<CommittedOffset>> snapshot, OffsetStore store) throws IOException {
        for (String g : store.groups()) {
            if (!snapshot.containsKey(g)) {
                store.deleteGroup(g);
            }
        }
        for (Map.Entry<String, List<CommittedOffset>> e : snapshot.entrySet()) {
            Set<PartitionKey> wanted = new HashSet<>();
            e.getValue().forEach(o -> wanted.add(o.key()));
            List<PartitionKey> stale = store.fetch(e.getKey()).stream().map(CommittedOffset::key)
                    .filter(k -> !wanted.contains(k)).toList();
            if (!stale.isEmpty()) {
                store.delete(e.getKey(), stale);
            }
            store.commit(e.getKey(), e.getValue());
        }
    }

    private static String describe(Candidate c) {
        return c == null ? "(none)" : "'" + c.name() + "' (service " + c.serviceId() + ")";
    }
}
