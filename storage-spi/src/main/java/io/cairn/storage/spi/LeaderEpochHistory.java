package io.cairn.storage.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A partition's leader-epoch history in memory (epoch → start offset), with the rules of Kafka's
 * {@code LeaderEpochFileCache}: what {@link PartitionLog#assignEpochStartOffset},
 * {@link PartitionLog#endOffsetForEpoch}, {@link PartitionLog#truncateTo} and
 * {@link PartitionLog#advanceLogStart} need. Engines use it so that they answer alike; keeping it
 * durable is the engine's business (the mutators say whether anything changed).
 *
 * <p>Thread-safe: every method is synchronized.
 */
@ProviderType
public final class LeaderEpochHistory {

    private final TreeMap<Integer, EpochEntry> epochs = new TreeMap<>();

    /** An empty history. */
    public LeaderEpochHistory() {
    }

    /** A history holding {@code entries}, which must be increasing in both epoch and start offset. */
    public LeaderEpochHistory(List<EpochEntry> entries) {
        EpochEntry previous = null;
        for (EpochEntry entry : entries) {
            if (previous != null && (entry.epoch() <= previous.epoch() || entry.startOffset() < previous.startOffset())) {
                throw new IllegalArgumentException("Leader epochs are not increasing: " + previous + " then " + entry);
            }
            epochs.put(entry.epoch(), entry);
            previous = entry;
        }
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}: later or equal epochs and entries
     * starting at or after {@code startOffset} are removed first. The same epoch as the latest with
     * a later or equal start offset changes nothing.
     *
     * @return whether the history changed
     */
    public synchronized boolean assign(int epoch, long startOffset) {
        EpochEntry entry = new EpochEntry(epoch, startOffset);
        Map.Entry<Integer, EpochEntry> latest = epochs.lastEntry();
        if (latest != null && latest.getValue().epoch() == epoch && latest.getValue().startOffset() <= startOffset) {
            return false;
        }
        while (!epochs.isEmpty()) {
            EpochEntry last = epochs.lastEntry().getValue();
            if (last.epoch() >= epoch || last.startOffset() >= startOffset) {
                epochs.pollLastEntry();
            } else {
                break;
            }
        }
        epochs.put(epoch, entry);
        return true;
    }

    /** The latest epoch, if any. */
    public synchronized OptionalInt latestEpoch() {
        return epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.lastKey());
    }

    /** See {@link PartitionLog#endOffsetForEpoch(int)}. */
    public synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch < 0 || epochs.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (epochs.lastKey() == requestedEpoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        Map.Entry<Integer, EpochEntry> higher = epochs.higherEntry(requestedEpoch);
        if (higher == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, EpochEntry> floor = epochs.floorEntry(requestedEpoch);
        int epoch = floor == null ? requestedEpoch : floor.getKey();
        return new EpochEndOffset(epoch, higher.getValue().startOffset());
    }

    /**
     * Forgets epochs that start at or after {@code endOffset} (the log was truncated there).
     *
     * @return whether the history changed
     */
    public synchronized boolean truncateFromEnd(long endOffset) {
        boolean changed = false;
        while (!epochs.isEmpty() && epochs.lastEntry().getValue().startOffset() >= endOffset) {
            epochs.pollLastEntry();
            changed = true;
        }
        return changed;
    }

    /**
     * Forgets what lies below {@code startOffset} (the log start moved there): entries starting at
     * or before it are removed, and the last of them comes back starting at {@code startOffset}.
     *
     * @return whether the history changed
     */
    public synchronized boolean truncateFromStart(long startOffset) {
        EpochEntry lastRemoved = null;
        int removed = 0;
        while (!epochs.isEmpty() && epochs.firstEntry().getValue().startOffset() <= startOffset) {
            lastRemoved = epochs.pollFirstEntry().getValue();
            removed++;
        }
        if (lastRemoved == null) {
            return false;
        }
        epochs.put(lastRemoved.epoch(), new EpochEntry(lastRemoved.epoch(), startOffset));
        return removed > 1 || lastRemoved.startOffset() != startOffset;
    }

    /** Every entry, oldest first. */
    public synchronized List<EpochEntry> entries() {
        return List.copyOf(new ArrayList<>(epochs.values()));
    }

    @Override
    public synchronized String toString() {
        return "LeaderEpochHistory" + epochs.values();
    }
}
