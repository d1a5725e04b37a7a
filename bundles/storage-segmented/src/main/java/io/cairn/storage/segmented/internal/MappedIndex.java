package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sparse index file of fixed-size entries, memory-mapped as Kafka's {@code AbstractIndex}. A
 * writable index (the active segment's) is preallocated to {@code segment.index.bytes} and
 * trimmed to its entries when the segment stops being active or is closed; a read-only index is
 * mapped at its length.
 *
 * <p>Mappings are never unmapped explicitly: a reader may still be looking at one, and an unmapped
 * buffer would crash the JVM. The garbage collector releases them once unreachable.
 *
 * <p>Thread-safety: the owning {@link LogSegment} serialises every call.
 */
abstract class MappedIndex {

    protected final Path file;
    protected final long baseOffset;
    private final int entrySize;
    protected MappedByteBuffer mmap;
    protected int entries;
    private int maxEntries;
    private boolean writable;

    protected MappedIndex(Path file, long baseOffset, int entrySize) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
    }

    /**
     * Maps the file. Existing entries are taken at face value here; {@link #sanityProblem} says
     * whether to trust them.
     *
     * @param maxIndexBytes the preallocated size for a writable index
     * @return false if the file length is not a whole number of entries (the index must be rebuilt)
     */
    boolean open(boolean asWritable, int maxIndexBytes) throws IOException {
        boolean existed = Files.exists(file);
        long length = existed ? Files.size(file) : 0;
        boolean whole = length % entrySize == 0;
        entries = (int) (length / entrySize);
        map(asWritable, maxIndexBytes);
        return whole;
    }

    private void map(boolean asWritable, int maxIndexBytes) throws IOException {
        this.writable = asWritable;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), asWritable ? "rw" : "r")) {
            long mapLength;
            if (asWritable) {
                mapLength = Math.max((long) entries * entrySize, roundDown(maxIndexBytes));
                raf.setLength(mapLength);
            } else {
                mapLength = (long) entries * entrySize;
            }
            maxEntries = (int) (mapLength / entrySize);
            mmap = raf.getChannel().map(asWritable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, mapLength);
        }
    }

    private int roundDown(int bytes) {
        return bytes / entrySize * entrySize;
    }

    /** Makes the index writable again with room up to {@code maxIndexBytes} (after truncation). */
    void makeWritable(int maxIndexBytes) throws IOException {
        if (!writable) {
            map(true, maxIndexBytes);
        }
    }

    /** Shrinks the file to its entries and maps it read-only. */
    void trimToEntries() throws IOException {
        if (writable) {
            mmap.force();
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength((long) entries * entrySize);
            }
            map(false, 0);
        }
    }

    /** Forgets every entry. */
    void reset(int maxIndexBytes) throws IOException {
        entries = 0;
        makeWritable(maxIndexBytes);
    }

    boolean isFull() {
        return entries >= maxEntries;
    }

    protected int maxEntries() {
        return maxEntries;
    }

    int entries() {
        return entries;
    }

    void flush() {
        if (writable) {
            mmap.force();
        }
    }

    protected void ensureRoom() {
        if (!writable || entries >= maxEntries) {
            throw new IllegalStateException("Index " + file + " is " + (writable ? "full" : "read-only"));
        }
    }

    /** Why the entries cannot be trusted for a log file of {@code logSize} bytes, or null. */
    abstract String sanityProblem(long logSize);

    /** Keeps only the entries whose offset is below {@code offset}. */
    abstract void truncateTo(long offset);

    protected int relative(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " is not within 2^31 above " + baseOffset);
        }
        return (int) relative;
    }
}
