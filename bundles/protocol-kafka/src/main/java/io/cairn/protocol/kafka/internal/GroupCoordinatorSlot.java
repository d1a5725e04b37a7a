package io.cairn.protocol.kafka.internal;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.GroupCoordinator;

/**
 * The {@link GroupCoordinator} service the group APIs call, if there is one: the target of the
 * component's dynamic, optional, greedy reference.
 *
 * <p>Swap semantics: a better-ranked coordinator is bound before the old one is unbound, so
 * {@link #unbind} clears the slot only if it still holds the leaving service. A request reads the
 * slot once and talks to that coordinator to the end; while the slot is empty, every group API
 * answers {@code COORDINATOR_NOT_AVAILABLE}, which clients retry after rediscovering the
 * coordinator.
 *
 * <p>Thread-safety: thread-safe (one atomic reference).
 */
final class GroupCoordinatorSlot {

    private final AtomicReference<GroupCoordinator> current = new AtomicReference<>();

    void bind(GroupCoordinator coordinator) {
        current.set(coordinator);
    }

    void unbind(GroupCoordinator coordinator) {
        current.compareAndSet(coordinator, null);
    }

    Optional<GroupCoordinator> current() {
        return Optional.ofNullable(current.get());
    }

    /**
     * Calls the coordinator and turns what its stage completes with into a response:
     * {@code answered} for a result, {@code failed} for a failure — a {@link BrokerException} of
     * the coordinator, or {@code COORDINATOR_NOT_AVAILABLE} when there is no coordinator. A call
     * that throws instead of failing its stage is treated as failing it.
     */
    <T, R> CompletionStage<R> ask(Function<GroupCoordinator, CompletionStage<T>> call, Function<T, R> answered,
            Function<Throwable, R> failed) {
        GroupCoordinator coordinator = current.get();
        if (coordinator == null) {
            return CompletableFuture.completedFuture(failed.apply(new BrokerException(
                    BrokerError.COORDINATOR_NOT_AVAILABLE, "The group coordinator is not available")));
        }
        CompletionStage<T> stage;
        try {
            stage = call.apply(coordinator);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((result, failure) -> failure == null ? answered.apply(result)
                : failed.apply(KafkaErrors.unwrap(failure)));
    }
}
