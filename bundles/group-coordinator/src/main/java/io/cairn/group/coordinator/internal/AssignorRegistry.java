package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;

/**
 * The server-side assignors registered as services, by {@code cairn.name}. Among services of one
 * name the highest {@code service.ranking} (then the lowest service id) serves, so a replacement
 * registered beside the old one takes over from the next assignment it computes. Callers that need
 * a missing assignor wait for it, each at most {@code cairn.plugin.wait.ms}.
 *
 * <p>Thread-safe (one monitor; waiters are completed outside it).
 */
final class AssignorRegistry {

    /** One registered assignor service. */
    record Candidate(long serviceId, int ranking, String name, PartitionAssignor assignor) {
    }

    private record Waiter(String name, CompletableFuture<Void> ready, Scheduler.Timer timeout) {
    }

    private static final Comparator<Candidate> BEST = Comparator.comparingInt(Candidate::ranking).reversed()
            .thenComparingLong(Candidate::serviceId);

    private final Scheduler scheduler;
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    AssignorRegistry(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void added(Candidate candidate) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            candidates.add(candidate);
            waiters.removeIf(w -> {
                if (w.name.equals(candidate.name())) {
                    ready.add(w);
                    return true;
                }
                return false;
            });
        }
        ready.forEach(w -> {
            w.timeout.cancel();
            w.ready.complete(null);
        });
    }

    synchronized void removed(long serviceId) {
        candidates.removeIf(c -> c.serviceId() == serviceId);
    }

    /** The assignor serving under {@code name}, if one is registered. */
    synchronized Optional<PartitionAssignor> get(String name) {
        return candidates.stream().filter(c -> c.name().equals(name)).min(BEST).map(Candidate::assignor);
    }

    /**
     * Completes when an assignor named {@code name} is registered — at once if one is — or fails
     * with {@code COORDINATOR_NOT_AVAILABLE} after {@code waitMs}.
     */
    CompletableFuture<Void> await(String name, long waitMs) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        synchronized (this) {
            if (candidates.stream().anyMatch(c -> c.name().equals(name))) {
                return CompletableFuture.completedFuture(null);
            }
            Scheduler.Timer timeout = scheduler.schedule(waitMs, () -> {
                synchronized (this) {
                    waiters.removeIf(w -> w.ready == ready);
                }
                ready.completeExceptionally(new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                        "The partition assignor '" + name + "' is not available (waited " + waitMs
                                + " ms, cairn.plugin.wait.ms)"));
            });
            waiters.add(new Waiter(name, ready, timeout));
        }
        return ready;
    }
}
