package io.cairn.producer.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.cairn.partitioner.spi.Partitioner;

/**
 * The partitioner services present right now, by {@code cairn.name}, and the callers waiting for a
 * missing one.
 *
 * <p>Swap semantics: when several services share a name, the one with the highest service ranking
 * (then the lowest service id) is used, as OSGi's own lookup does; so a replacement installed with
 * a higher ranking takes over at once, and stopping the old bundle afterwards is seen by no caller.
 * When the last service of a name leaves, callers wait for one to come back — any service with that
 * name — up to their deadline, and then fail. A caller never gets a service of another name.
 *
 * <p>Waiters are completed on {@code completions}, never on the thread that binds the service (an
 * SCR thread), and in the order they started waiting.
 *
 * <p>Thread-safe: all state is guarded by {@code this}.
 */
final class PartitionerTracker {

    private record Entry(String name, long serviceId, int ranking, Partitioner service) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private final Map<String, List<Entry>> byName = new HashMap<>();
    private final Map<String, List<CompletableFuture<Partitioner>>> waiters = new HashMap<>();
    private final ScheduledExecutorService timer;
    private final Executor completions;

    /**
     * @param timer runs the deadlines of waiters
     * @param completions completes waiters when a service arrives
     */
    PartitionerTracker(ScheduledExecutorService timer, Executor completions) {
        this.timer = timer;
        this.completions = completions;
    }

    synchronized void add(String name, long serviceId, int ranking, Partitioner service) {
        List<Entry> entries = byName.computeIfAbsent(name, n -> new ArrayList<>());
        entries.add(new Entry(name, serviceId, ranking, service));
        entries.sort(BEST_FIRST);
        List<CompletableFuture<Partitioner>> waiting = waiters.remove(name);
        if (waiting != null) {
            Partitioner best = entries.get(0).service();
            completions.execute(() -> waiting.forEach(w -> w.complete(best)));
        }
    }

    synchronized void remove(long serviceId) {
        byName.values().forEach(list -> list.removeIf(e -> e.serviceId() == serviceId));
        byName.values().removeIf(List::isEmpty);
    }

    /** The best service named {@code name} now, if any. */
    synchronized Optional<Partitioner> current(String name) {
        List<Entry> entries = byName.get(name);
        return entries == null ? Optional.empty() : Optional.of(entries.get(0).service());
    }

    /**
     * The best service named {@code name}: at once if present, else when one arrives; after
     * {@code waitMs} without one, fails with what {@code onTimeout} supplies.
     */
    synchronized CompletableFuture<Partitioner> await(String name, long waitMs, Supplier<RuntimeException> onTimeout) {
        Optional<Partitioner> now = current(name);
        if (now.isPresent()) {
            return CompletableFuture.completedFuture(now.get());
        }
        CompletableFuture<Partitioner> waiter = new CompletableFuture<>();
        waiters.computeIfAbsent(name, n -> new ArrayList<>()).add(waiter);
        timer.schedule(() -> {
            synchronized (this) {
                List<CompletableFuture<Partitioner>> list = waiters.get(name);
                if (list != null) {
                    list.remove(waiter);
                    if (list.isEmpty()) {
                        waiters.remove(name);
                    }
                }
            }
            waiter.completeExceptionally(onTimeout.get());
        }, waitMs, TimeUnit.MILLISECONDS);
        return waiter;
    }

    /** Fails every waiter (the component is going away). */
    synchronized void failAll(RuntimeException why) {
        waiters.values().forEach(list -> list.forEach(w -> w.completeExceptionally(why)));
        waiters.clear();
    }
}
