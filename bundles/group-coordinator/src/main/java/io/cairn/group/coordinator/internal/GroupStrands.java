package io.cairn.group.coordinator.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one after another per key (a group id): a group's offset store calls
 * happen in the order the coordinator accepted them, never two at once, while different groups
 * proceed in parallel. This is what the offset store contract's ordering rule relies on, and it
 * keeps a client's pipelined commits from overtaking each other.
 *
 * <p>Thread-safe.
 */
final class GroupStrands {

    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    /** Starts {@code task} once every earlier task of {@code key} has finished, successfully or not. */
    <T> CompletableFuture<T> submit(String key, Supplier<? extends CompletionStage<T>> task) {
        CompletableFuture<T> result;
        CompletableFuture<Void> tail;
        synchronized (this) {
            CompletableFuture<Void> previous = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
            result = previous.thenCompose(ignored -> task.get());
            tail = result.handle((r, e) -> null);
            tails.put(key, tail);
        }
        tail.thenRun(() -> {
            synchronized (this) {
                tails.remove(key, tail);
            }
        });
        return result;
    }

    /** Number of keys with tasks queued or running (for tests). */
    synchronized int active() {
        return tails.size();
    }
}
