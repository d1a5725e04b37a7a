package io.cairn.group.coordinator.internal;

/**
 * The coordinator's clock and timers. Production uses {@link ExecutorScheduler}; tests drive a
 * manual one, so that session timeouts and rebalance delays pass without sleeping.
 *
 * <p>Implementations are thread-safe. A task runs at most once, on a scheduler thread (or, in
 * tests, the thread that advances time), never while the caller of {@link #schedule} holds it.
 */
interface Scheduler {

    /** Wall-clock time in ms since the epoch: commit timestamps and retention use it. */
    long nowMs();

    /** Runs {@code task} once, {@code delayMs} from now. */
    Timer schedule(long delayMs, Runnable task);

    /** A scheduled task. */
    interface Timer {
        /** Keeps the task from running if it has not started; harmless afterwards. */
        void cancel();
    }
}
