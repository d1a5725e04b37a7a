package io.cairn.storage.segmented.internal;

import java.nio.file.Path;

/**
 * Kafka's {@code .timeindex}: 12-byte entries of (8-byte timestamp, 4-byte offset relative to the
 * segment's base offset) meaning "up to this offset the largest timestamp is this one", written
 * with the offset index entries whenever the largest timestamp grew, and once more when the
 * segment stops being active. The offset is the last offset of the batch holding that timestamp.
 *
 * <p>Thread-safety: the owning {@link LogSegment} serialises every call.
 */
final class TimeIndex extends MappedIndex {

    static final int ENTRY_SIZE = 12;

    TimeIndex(Path file, long baseOffset) {
        super(file, baseOffset, ENTRY_SIZE);
    }

    /**
     * Appends an entry if {@code timestamp} is above the last one. The last slot is kept for the
     * final entry written when the segment stops being active ({@code final}), as Kafka does.
     */
    void maybeAppend(long timestamp, long offset, boolean finalEntry) {
        if (timestamp < 0 || (entries > 0 && timestamp <= lastTimestamp())) {
            return;
        }
        if ((isFull() && !finalEntry) || entries >= maxEntries()) {
            return;
        }
        ensureRoom();
        mmap.putLong(entries * ENTRY_SIZE, timestamp);
        mmap.putInt(entries * ENTRY_SIZE + 8, relative(offset));
        entries++;
    }

    @Override
    boolean isFull() {
        return entries >= maxEntries() - 1;
    }

    long lastTimestamp() {
        return entries == 0 ? -1 : mmap.getLong((entries - 1) * ENTRY_SIZE);
    }

    /**
     * An offset at or before the first record whose timestamp is at least {@code target}: the
     * offset of the last entry whose timestamp is below {@code target} (every record up to it is
     * older), or the base offset.
     */
    long lookupBelow(long target) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (mmap.getLong(mid * ENTRY_SIZE) < target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? baseOffset : baseOffset + mmap.getInt(found * ENTRY_SIZE + 8);
    }

    @Override
    void truncateTo(long offset) {
        while (entries > 0 && baseOffset + mmap.getInt((entries - 1) * ENTRY_SIZE + 8) >= offset) {
            entries--;
        }
    }

    @Override
    String sanityProblem(long logSize) {
        long previousTimestamp = -1;
        int previousRelative = -1;
        for (int i = 0; i < entries; i++) {
            long timestamp = mmap.getLong(i * ENTRY_SIZE);
            int relative = mmap.getInt(i * ENTRY_SIZE + 8);
            if (timestamp <= previousTimestamp || relative < previousRelative || relative < 0) {
                return "entry " + i + " (" + timestamp + ", " + relative + ") does not follow (" + previousTimestamp + ", " + previousRelative + ")";
            }
            previousTimestamp = timestamp;
            previousRelative = relative;
        }
        if (entries > 0 && logSize == 0) {
            return entries + " entries for an empty log";
        }
        return null;
    }
}
