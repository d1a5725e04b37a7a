package io.cairn.itests;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bounded wait of the system tests: re-checks a condition until it holds and fails with what
 * was awaited (and, if given, what the broker printed) once the time is over. Nothing waits for a
 * fixed time in place of a condition.
 */
public final class Await {

    /** A condition that may call a client or read files on the way. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private static final long POLL_MS = 50;

    private Await() {
    }

    /** Waits up to {@code timeout} until {@code condition} holds. */
    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        until(what, timeout, () -> "", condition);
    }

    /**
     * Waits up to {@code timeout} until {@code condition} holds; on timeout the failure names
     * {@code what} and adds {@code context} (a broker's output, say), read only then.
     */
    public static void until(String what, Duration timeout, Supplier<String> context, Condition condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                String more = context.get();
                throw new AssertionError("timed out after " + timeout + " waiting until " + what
                        + (more.isEmpty() ? "" : ":\n" + more));
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }
}
