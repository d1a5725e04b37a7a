package io.cairn.group.coordinator.internal;

import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose time moves only when a test says so; due tasks run on the advancing thread. */
final class ManualScheduler implements Scheduler {

    private static final class Task implements Timer {
        final long due;
        final long seq;
        final Runnable body;
        volatile boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
    private long now = 1_700_000_000_000L;
    private long seq;

    @Override
    public synchronized long nowMs() {
        return now;
    }

    @Override
    public synchronized Timer schedule(long delayMs, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMs), seq++, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward by {@code ms}, running every task that falls due, in order. */
    void advance(long ms) {
        long target;
        synchronized (this) {
            target = now + ms;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.due;
            }
            if (!next.cancelled) {
                next.body.run();
            }
        }
    }

    /** Number of tasks scheduled and not cancelled. */
    synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
