package io.cairn.broker.spi.ack;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides when a produce request is complete. Registered with the property {@code cairn.name}
 * ({@code none}, {@code leader}, {@code isr}, …). Stateless and thread-safe: the broker calls it
 * for many partitions concurrently.
 */
@ConsumerType
public interface AckStrategy {

    /** The service property that names a strategy. */
    String NAME_PROPERTY = "cairn.name";

    /**
     * Whether the producer gets a response at all. Kafka's acks=0 gets none; the connection is
     * closed instead if the request fails.
     */
    default boolean respondsToProducer() {
        return true;
    }

    /** Whether the leader must flush the records before the request completes (fsync-before-ack). */
    default boolean requiresFlush() {
        return false;
    }

    /**
     * Judges a request. Called before the append (with {@link ProduceProgress#appended()} false,
     * to refuse early) and after it, then again on every replica progress until it is not
     * {@link AckOutcome#PENDING} or the request times out.
     */
    AckOutcome evaluate(ProduceProgress progress);
}
