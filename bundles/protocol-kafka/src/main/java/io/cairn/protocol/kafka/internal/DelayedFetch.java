package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.message.FetchResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.PartitionReplica;

/**
 * A long-polling fetch: Kafka's delayed fetch. It completes, exactly once, with the first of:
 * <ul>
 * <li>enough data: after an append to one of its partitions ({@link PartitionReplica#onNewData})
 * a re-read finds at least {@code MinBytes}, or a partition that now answers with an error;</li>
 * <li>the timeout: {@code MaxWaitMs} after the request arrived, with whatever there is then;</li>
 * <li>the client going away: no response, nothing read.</li>
 * </ul>
 *
 * <p>Wake-ups are cheap and coalesced: the append listener only schedules a re-check on the
 * request pool if none is pending; the re-check reads the logs only if a partition's readable end
 * moved past its fetch offset ({@link FetchOperation#hasNewData()}). A re-read that falls short is
 * released and the fetch keeps waiting.
 *
 * <p>Thread-safety: thread-safe. Wake-ups arrive on appending threads, the timeout on the timer
 * thread, the close on the event loop; completion is decided by one compare-and-set.
 */
final class DelayedFetch {

    private static final Logger LOG = LoggerFactory.getLogger(DelayedFetch.class);

    private final FetchOperation operation;
    private final int minBytes;
    private final Executor pool;
    private final CompletableFuture<FetchResponseData> result = new CompletableFuture<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicBoolean recheckPending = new AtomicBoolean();
    private final List<AutoCloseable> listeners = new ArrayList<>();
    private ScheduledFuture<?> timeout;

    private DelayedFetch(FetchOperation operation, int minBytes, Executor pool) {
        this.operation = operation;
        this.minBytes = minBytes;
        this.pool = pool;
    }

    /**
     * Starts waiting: listens to the partitions, arms the timeout of {@code waitMs}, and stops on
     * {@code connection}'s close.
     */
    static CompletableFuture<FetchResponseData> start(FetchOperation operation, int minBytes, long waitMs,
            RequestThreads threads, ConnectionContext connection) {
        DelayedFetch fetch = new DelayedFetch(operation, minBytes, threads.requests());
        fetch.listen(threads.timer(), waitMs);
        connection.closed().thenRun(fetch::abandon);
        // Appends between the first read and the listeners' registration woke nobody: look once.
        fetch.wake();
        return fetch.result;
    }

    private void listen(ScheduledExecutorService timer, long waitMs) {
        synchronized (listeners) {
            for (PartitionReplica replica : operation.replicas()) {
                listeners.add(replica.onNewData(this::wake));
            }
            timeout = timer.schedule(() -> pool.execute(this::expire), waitMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Appending thread: must not block. */
    private void wake() {
        if (!completed.get() && recheckPending.compareAndSet(false, true)) {
            try {
                pool.execute(this::recheck);
            } catch (RuntimeException e) {
                recheckPending.set(false);
                LOG.debug("Could not schedule a fetch re-check: {}", e.toString());
            }
        }
    }

    private void recheck() {
        recheckPending.set(false);
        if (completed.get() || !operation.hasNewData()) {
            return;
        }
        FetchOperation.Result read;
        try {
            read = operation.read();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        if ((read.bytes() >= minBytes || read.hasError()) && completed.compareAndSet(false, true)) {
            stopListening();
            result.complete(read.response());
        } else {
            read.release();
        }
    }

    private void expire() {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        stopListening();
        try {
            result.complete(operation.read().response());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private void abandon() {
        if (completed.compareAndSet(false, true)) {
            stopListening();
            result.completeExceptionally(new CancellationException("client disconnected"));
        }
    }

    private void fail(RuntimeException e) {
        if (completed.compareAndSet(false, true)) {
            stopListening();
            result.completeExceptionally(e);
        }
    }

    private void stopListening() {
        synchronized (listeners) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            for (AutoCloseable listener : listeners) {
                try {
                    listener.close();
                } catch (Exception e) {
                    LOG.debug("Removing a fetch wake-up listener failed: {}", e.toString());
                }
            }
            listeners.clear();
        }
    }
}
