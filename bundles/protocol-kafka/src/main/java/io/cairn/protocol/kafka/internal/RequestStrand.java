package io.cairn.protocol.kafka.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's tasks one at a time, in submission order, on a shared pool: what keeps
 * the side effects of pipelined requests in request order (an idempotent producer's five in-flight
 * produce requests must reach the partition in the order they were sent) without giving every
 * connection a thread of its own.
 *
 * <p>Thread-safety: thread-safe; {@link #execute} may be called from any thread.
 */
final class RequestStrand implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(RequestStrand.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    RequestStrand(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.addLast(task);
            if (running) {
                return;
            }
            running = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::runNext);
        } catch (RejectedExecutionException e) {
            // Only while the listener shuts down: the connection is about to be closed anyway.
            LOG.debug("Request pool refused work, dropping queued requests: {}", e.toString());
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
        }
    }

    private void runNext() {
        Runnable task;
        synchronized (tasks) {
            task = tasks.pollFirst();
        }
        try {
            task.run();
        } finally {
            boolean more;
            synchronized (tasks) {
                more = !tasks.isEmpty();
                running = more;
            }
            if (more) {
                schedule();
            }
        }
    }
}
