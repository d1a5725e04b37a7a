package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/**
 * Completions collected while a group's lock is held and run after it is released, so that no
 * front-end code ever runs inside the coordinator's locks. Not thread-safe: one per call.
 */
final class Deferred {

    private final List<Runnable> actions = new ArrayList<>();

    <T> void complete(CompletableFuture<T> future, T value) {
        actions.add(() -> future.complete(value));
    }

    void fail(CompletableFuture<?> future, BrokerException error) {
        actions.add(() -> future.completeExceptionally(error));
    }

    void fail(CompletableFuture<?> future, BrokerError error, String message) {
        fail(future, new BrokerException(error, message));
    }

    void later(Runnable action) {
        actions.add(action);
    }

    /** Runs what was collected, in order. Call without holding any coordinator lock. */
    void run() {
        for (Runnable r : actions) {
            r.run();
        }
        actions.clear();
    }
}
