package io.cairn.group.coordinator.internal;

import java.util.function.Consumer;

/**
 * One delayed operation of a group or member (a session, the rebalance timeout, the sync
 * deadline) that is rescheduled or cancelled as the group moves on. The task runs under the
 * group's lock and only if it is still the slot's current one: a timer that fired while it was
 * being cancelled or replaced does nothing. Kafka's purgatory entries, with a sequence number
 * instead of a watch list.
 *
 * <p>Not thread-safe: called with the group's lock held.
 */
final class TimerSlot {

    private Scheduler.Timer timer;
    private long seq;

    /** Replaces whatever was scheduled with {@code body}, run {@code delayMs} from now holding {@code lock}. */
    void schedule(Scheduler scheduler, long delayMs, Object lock, Consumer<Deferred> body) {
        cancel();
        long mine = seq;
        timer = scheduler.schedule(delayMs, () -> {
            Deferred deferred = new Deferred();
            synchronized (lock) {
                if (seq != mine) {
                    return;
                }
                timer = null;
                seq++;
                body.accept(deferred);
            }
            deferred.run();
        });
    }

    /** Cancels the scheduled task, if any. */
    void cancel() {
        seq++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Whether a task is scheduled. */
    boolean isActive() {
        return timer != null;
    }
}
