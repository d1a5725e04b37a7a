package io.cairn.protocol.kafka.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The threads that do request work off the Netty event loops, shared by every connection of every
 * listener:
 * <ul>
 * <li>{@link #requests()}: a fixed pool of {@code num.io.threads} (Kafka's key, default 8) running
 * request handlers, which may block on the kernel (partition lookup, appends to the log, admin
 * operations against the metadata store). Each connection funnels its requests through a
 * {@link RequestStrand} over this pool, so one connection's requests run one at a time and in
 * order, while different connections run in parallel;</li>
 * <li>{@link #timer()}: one thread that fires the timeouts of delayed operations (long-poll
 * fetches). Timer tasks only hand work to {@link #requests()}; they never block.</li>
 * </ul>
 *
 * <p>The pool's queue is unbounded, but what can be queued is bounded by the connections: each
 * stops reading at {@link KafkaConnection#MAX_IN_FLIGHT} requests awaiting an answer.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} is called once, by the component's deactivation.
 */
final class RequestThreads implements AutoCloseable {

    /** Kafka's key for the threads that handle requests, and its default. */
    static final String NUM_IO_THREADS = "num.io.threads";
    static final int DEFAULT_IO_THREADS = 8;

    private final ExecutorService requests;
    private final ScheduledThreadPoolExecutor timer;

    RequestThreads(int ioThreads) {
        requests = Executors.newFixedThreadPool(ioThreads, new BundleThreadFactory("cairn-kafka-request"));
        timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("cairn-kafka-timer", true));
        // A long-poll answered early cancels its timeout: do not keep thousands of dead tasks.
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Request threads see this bundle's class loader as their context class loader: the codecs
     * kafka-clients uses on them look up resources through it (snappy-java's properties), and
     * inside OSGi a thread's context class loader is otherwise unset.
     */
    private static final class BundleThreadFactory extends DefaultThreadFactory {

        BundleThreadFactory(String name) {
            super(name, true);
        }

        @Override
        protected Thread newThread(Runnable r, String name) {
            Thread thread = super.newThread(r, name);
            thread.setContextClassLoader(RequestThreads.class.getClassLoader());
            return thread;
        }
    }

    /** The pool request handlers run on. */
    Executor requests() {
        return requests;
    }

    /** The timer of delayed operations. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** Stops both, waiting briefly for handlers already running. */
    @Override
    public void close() {
        timer.shutdownNow();
        requests.shutdown();
        try {
            if (!requests.awaitTermination(2, TimeUnit.SECONDS)) {
                requests.shutdownNow();
            }
        } catch (InterruptedException e) {
            requests.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
