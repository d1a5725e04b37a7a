package io.cairn.storage.segmented.internal;

import java.nio.file.Path;

/**
 * Kafka's {@code .index}: 8-byte entries of (4-byte offset relative to the segment's base offset,
 * 4-byte position in the {@code .log} file), one for every {@code index.interval.bytes} of batches.
 * An entry's offset is the last offset of the batch that starts at its position, as Kafka writes
 * it (and as {@code DumpLogSegments} checks).
 *
 * <p>Thread-safety: the owning {@link LogSegment} serialises every call.
 */
final class OffsetIndex extends MappedIndex {

    static final int ENTRY_SIZE = 8;

    OffsetIndex(Path file, long baseOffset) {
        super(file, baseOffset, ENTRY_SIZE);
    }

    void append(long offset, int position) {
        ensureRoom();
        if (entries > 0 && (offset <= lastOffset() || position <= mmap.getInt((entries - 1) * ENTRY_SIZE + 4))) {
            throw new IllegalArgumentException("Index entry (" + offset + ", " + position + ") does not follow the last one in " + file);
        }
        mmap.putInt(entries * ENTRY_SIZE, relative(offset));
        mmap.putInt(entries * ENTRY_SIZE + 4, position);
        entries++;
    }

    long lastOffset() {
        return entries == 0 ? baseOffset : baseOffset + mmap.getInt((entries - 1) * ENTRY_SIZE);
    }

    /** An index entry: the batch at {@code position} has last offset {@code offset}. */
    record Entry(long offset, int position) {
    }

    /**
     * The entry with the largest offset not above {@code target}, or null if there is none (then
     * the batch holding {@code target} is found by scanning from the start of the file).
     */
    Entry lookup(long target) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long offset = baseOffset + mmap.getInt(mid * ENTRY_SIZE);
            if (offset <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? null : new Entry(baseOffset + mmap.getInt(found * ENTRY_SIZE), mmap.getInt(found * ENTRY_SIZE + 4));
    }

    /**
     * The entry farthest into the file whose position is in {@code (after, maxPosition]} and whose
     * offset is below {@code limitOffset}, or null: a read can take every batch before it without
     * looking at their headers. Positions and offsets both increase, so one binary search does.
     */
    Entry farthestWithin(int after, long maxPosition, long limitOffset) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (mmap.getInt(mid * ENTRY_SIZE + 4) <= maxPosition && baseOffset + mmap.getInt(mid * ENTRY_SIZE) < limitOffset) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found < 0 || mmap.getInt(found * ENTRY_SIZE + 4) <= after) {
            return null;
        }
        return new Entry(baseOffset + mmap.getInt(found * ENTRY_SIZE), mmap.getInt(found * ENTRY_SIZE + 4));
    }

    @Override
    void truncateTo(long offset) {
        while (entries > 0 && lastOffset() >= offset) {
            entries--;
        }
    }

    @Override
    String sanityProblem(long logSize) {
        int previousRelative = -1;
        int previousPosition = -1;
        for (int i = 0; i < entries; i++) {
            int relative = mmap.getInt(i * ENTRY_SIZE);
            int position = mmap.getInt(i * ENTRY_SIZE + 4);
            if (relative <= previousRelative || position <= previousPosition) {
                return "entry " + i + " (" + relative + ", " + position + ") does not follow (" + previousRelative + ", " + previousPosition + ")";
            }
            if (position >= logSize) {
                return "entry " + i + " points at " + position + ", past the log's " + logSize + " bytes";
            }
            previousRelative = relative;
            previousPosition = position;
        }
        return null;
    }
}
