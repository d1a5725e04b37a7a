package io.cairn.rest.proxy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The partitions a consumer instance holds and, for each, the offset of the next record to return:
 * Kafka's consumer positions. A position is {@link #UNKNOWN} until resolved from the group's
 * committed offset (else by {@code auto.offset.reset}); a pending seek to the beginning or end is
 * resolved against the log when the partition is next read. Only records handed to the client move
 * a position ({@link #advance}), so "commit what was consumed" ({@link #consumed}) commits exactly
 * what the client has seen.
 *
 * <p>Every change of the set of partitions (a rebalance, a new manual assignment) starts a new
 * {@linkplain #epoch() epoch}; a read made in an older epoch cannot move a position.
 *
 * <p>Thread-safe: every method is {@code synchronized} and calls nothing outside this class, so it
 * may be called while holding other locks.
 */
final class PartitionPositions {

    static final long UNKNOWN = -1;

    /** A seek resolved against the log when the partition is next read. */
    enum Seek { BEGINNING, END }

    /** What a read may do now: positions in the order to visit them, unresolved partitions, pending seeks. */
    record Snapshot(Map<PartitionKey, Long> positions, List<PartitionKey> unknown, Map<PartitionKey, Seek> seeks, int epoch) {
    }

    private Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    /** Positions of the partitions held before a rejoin, for those the new assignment keeps. */
    private Map<PartitionKey, Long> retained = Map.of();
    private final Map<PartitionKey, Seek> seeks = new HashMap<>();
    private int epoch;
    private int rotation;

    synchronized int epoch() {
        return epoch;
    }

    /** The partitions held now, ordered. */
    synchronized List<PartitionKey> partitions() {
        return new ArrayList<>(new TreeSet<>(positions.keySet()));
    }

    /** The known position of every partition held: what "commit everything consumed" commits. */
    synchronized List<OffsetCommit> consumed() {
        List<OffsetCommit> out = new ArrayList<>();
        positions.forEach((p, offset) -> {
            if (offset >= 0) {
                out.add(new OffsetCommit(p.topic(), p.partition(), offset, -1, ""));
            }
        });
        return out;
    }

    /** Gives up every partition before a rejoin, remembering the positions; returns what was consumed. */
    synchronized List<OffsetCommit> revokeForRejoin() {
        List<OffsetCommit> consumed = consumed();
        if (!positions.isEmpty()) {
            retained = positions;
        }
        positions = new LinkedHashMap<>();
        seeks.clear();
        epoch++;
        return consumed;
    }

    /** Takes the group's new assignment; partitions held before the rejoin keep their positions. */
    synchronized void assignFromGroup(List<PartitionKey> assigned) {
        Map<PartitionKey, Long> next = new LinkedHashMap<>();
        for (PartitionKey p : assigned) {
            next.put(p, retained.getOrDefault(p, UNKNOWN));
        }
        positions = next;
        retained = Map.of();
        epoch++;
    }

    /** Forgets everything, remembered positions included (the member was dropped: others may have consumed since). */
    synchronized void clear() {
        positions = new LinkedHashMap<>();
        retained = Map.of();
        seeks.clear();
        epoch++;
    }

    /** A manual assignment: partitions already held keep their positions. */
    synchronized void assignManually(List<PartitionKey> partitions) {
        Map<PartitionKey, Long> next = new LinkedHashMap<>();
        for (PartitionKey p : partitions) {
            next.put(p, positions.getOrDefault(p, UNKNOWN));
        }
        seeks.keySet().retainAll(next.keySet());
        positions = next;
        epoch++;
    }

    /** Seeks to offsets; every partition must be held ({@link RestError} 40903 otherwise, and nothing changes). */
    synchronized void seek(Map<PartitionKey, Long> offsets) {
        requireHeld(offsets.keySet());
        offsets.forEach((p, offset) -> {
            positions.put(p, offset);
            seeks.remove(p);
        });
    }

    /** Seeks to the beginning or end; every partition must be held. */
    synchronized void seek(Collection<PartitionKey> partitions, Seek where) {
        requireHeld(partitions);
        partitions.forEach(p -> seeks.put(p, where));
    }

    private void requireHeld(Collection<PartitionKey> partitions) {
        for (PartitionKey p : partitions) {
            if (!positions.containsKey(p)) {
                throw RestError.illegalState("No current assignment for partition " + p);
            }
        }
    }

    /** The state a read works from; partitions in turn starting one further each time, so none starves. */
    synchronized Snapshot snapshot() {
        List<PartitionKey> unknown = new ArrayList<>();
        positions.forEach((p, offset) -> {
            if (offset == UNKNOWN && !seeks.containsKey(p)) {
                unknown.add(p);
            }
        });
        List<PartitionKey> order = new ArrayList<>(positions.keySet());
        Map<PartitionKey, Long> rotated = new LinkedHashMap<>();
        int n = order.size();
        int start = n == 0 ? 0 : Math.floorMod(rotation++, n);
        for (int i = 0; i < n; i++) {
            PartitionKey p = order.get((start + i) % n);
            rotated.put(p, positions.get(p));
        }
        return new Snapshot(rotated, unknown, new HashMap<>(seeks), epoch);
    }

    /** Resolves unknown positions from committed offsets, or with none by the reset policy. */
    synchronized void resolveCommitted(List<FetchedOffset> committed, ConsumerInstance.Reset reset) {
        for (FetchedOffset f : committed) {
            PartitionKey p = new PartitionKey(f.topic(), f.partition());
            Long now = positions.get(p);
            if (now == null || now != UNKNOWN || seeks.containsKey(p)) {
                continue;
            }
            if (f.offset() >= 0) {
                positions.put(p, f.offset());
            } else {
                reset(p, reset);
            }
        }
    }

    /** Applies the reset policy to a partition whose position {@code offset} is outside the log, unless it moved meanwhile. */
    synchronized void resetOutOfRange(PartitionKey p, long offset, ConsumerInstance.Reset reset) {
        Long now = positions.get(p);
        if (now != null && now == offset && !seeks.containsKey(p)) {
            reset(p, reset);
        }
    }

    private void reset(PartitionKey p, ConsumerInstance.Reset reset) {
        switch (reset) {
            case EARLIEST -> seeks.put(p, Seek.BEGINNING);
            case LATEST -> seeks.put(p, Seek.END);
            case NONE -> throw RestError.kafka("Undefined offset with no reset policy for partition " + p);
        }
    }

    /** Sets the position a seek resolved to, unless the seek was replaced meanwhile. */
    synchronized void resolveSeek(PartitionKey p, Seek seek, long offset) {
        if (seeks.get(p) == seek && positions.containsKey(p)) {
            seeks.remove(p);
            positions.put(p, offset);
        }
    }

    /**
     * Moves a position from {@code from} to {@code to} if nothing changed it since the read began
     * (same epoch, no seek); returns whether it did — whether the records read may be returned.
     */
    synchronized boolean advance(PartitionKey p, long from, long to, int readEpoch) {
        Long now = positions.get(p);
        if (readEpoch != epoch || now == null || now != from || seeks.containsKey(p)) {
            return false;
        }
        positions.put(p, to);
        return true;
    }
}
