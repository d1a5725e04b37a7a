package io.cairn.kernel.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/**
 * Idempotent-producer bookkeeping of one partition, following Kafka's {@code ProducerStateManager}:
 * per producer id the current epoch and the last {@value #RECENT} batches (the producer keeps at
 * most five requests in flight, so a retry is always one of them).
 *
 * <ul>
 * <li>an older epoch is fenced: {@code INVALID_PRODUCER_EPOCH};</li>
 * <li>a newer epoch must start at sequence 0;</li>
 * <li>a batch equal to a recent one is a duplicate: answered with the original offsets, not
 *     appended again;</li>
 * <li>otherwise the first sequence must follow the last one (wrapping after
 *     {@link Integer#MAX_VALUE}), else {@code OUT_OF_ORDER_SEQUENCE_NUMBER}.</li>
 * </ul>
 * A producer this partition has never seen may start at any sequence (its earlier batches may have
 * been removed by retention, or it wrote before this broker's restart: state lives in memory only).
 *
 * <p>Not thread-safe: the partition calls it under its append lock.
 */
final class ProducerStates {

    static final int RECENT = 5;

    /** A batch already appended. */
    record Appended(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {
    }

    private static final class Entry {
        short epoch;
        final ArrayDeque<Appended> recent = new ArrayDeque<>();
    }

    private final Map<Long, Entry> producers = new HashMap<>();

    /**
     * Checks a batch before it is appended.
     *
     * @return the original append if the batch is a duplicate, else empty
     * @throws BrokerException if the batch must be refused
     */
    Optional<Appended> check(long producerId, short epoch, int firstSeq, int lastSeq) {
        Entry e = producers.get(producerId);
        if (e == null) {
            return Optional.empty();
        }
        if (epoch < e.epoch) {
            throw new BrokerException(BrokerError.INVALID_PRODUCER_EPOCH, "Producer " + producerId + "'s epoch "
                    + epoch + " is older than the current epoch " + e.epoch);
        }
        if (epoch > e.epoch) {
            if (firstSeq != 0) {
                throw new BrokerException(BrokerError.OUT_OF_ORDER_SEQUENCE_NUMBER, "Producer " + producerId
                        + " starts epoch " + epoch + " at sequence " + firstSeq + " instead of 0");
            }
            return Optional.empty();
        }
        for (Appended a : e.recent) {
            if (a.firstSeq() == firstSeq && a.lastSeq() == lastSeq) {
                return Optional.of(a);
            }
        }
        Appended last = e.recent.peekLast();
        if (last != null) {
            int expected = last.lastSeq() == Integer.MAX_VALUE ? 0 : last.lastSeq() + 1;
            if (firstSeq != expected) {
                throw new BrokerException(BrokerError.OUT_OF_ORDER_SEQUENCE_NUMBER, "Out of order sequence number for producer "
                        + producerId + ": " + firstSeq + " (expected " + expected + ")");
            }
        }
        return Optional.empty();
    }

    /** Records a batch that was appended. */
    void appended(long producerId, short epoch, Appended batch) {
        Entry e = producers.computeIfAbsent(producerId, id -> new Entry());
        if (epoch != e.epoch) {
            e.epoch = epoch;
            e.recent.clear();
        }
        e.recent.addLast(batch);
        while (e.recent.size() > RECENT) {
            e.recent.removeFirst();
        }
    }
}
