package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.LogConfig;

/**
 * Writes one cleaned segment as {@code <base>.log.cleaned} with its {@code .index.cleaned} and
 * {@code .timeindex.cleaned}, indexed by the same rule as an appended segment (an offset index
 * entry naming a batch's last offset once more than {@code index.interval.bytes} were written
 * since the last one; a time index entry with it when the largest timestamp grew; a final time
 * index entry). {@link SegmentedLog#replaceSegments} then swaps the files in.
 *
 * <p>Not thread-safe: one cleaner thread writes one segment.
 */
final class CleanedSegmentWriter implements AutoCloseable {

    private final Path dir;
    private final long baseOffset;
    private final FileChannel log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private long size;
    private int bytesSinceLastIndexEntry;
    private long maxTimestamp = BatchHeader.NO_TIMESTAMP;
    private long offsetOfMaxTimestamp;
    private long records;
    private boolean open = true;

    CleanedSegmentWriter(Path dir, long baseOffset, LogConfig config) throws IOException {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.offsetOfMaxTimestamp = baseOffset;
        for (Path file : files()) {
            Files.deleteIfExists(file);
        }
        this.log = FileChannel.open(cleaned(LogFiles.log(dir, baseOffset)), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.offsetIndex = new OffsetIndex(cleaned(LogFiles.offsetIndex(dir, baseOffset)), baseOffset);
        this.timeIndex = new TimeIndex(cleaned(LogFiles.timeIndex(dir, baseOffset)), baseOffset);
        offsetIndex.open(true, config.segmentIndexBytes());
        timeIndex.open(true, config.segmentIndexBytes());
    }

    private static Path cleaned(Path file) {
        return LogFiles.suffixed(file, LogFiles.CLEANED_SUFFIX);
    }

    private List<Path> files() {
        return List.of(cleaned(LogFiles.log(dir, baseOffset)), cleaned(LogFiles.offsetIndex(dir, baseOffset)),
                cleaned(LogFiles.timeIndex(dir, baseOffset)));
    }

    /** Appends one whole batch (position to limit). */
    void append(ByteBuffer batch) throws IOException {
        BatchHeader header = BatchHeader.read(batch, batch.position());
        if (size + header.sizeInBytes() > Integer.MAX_VALUE) {
            throw new IOException("Cleaned segment " + LogFiles.baseName(baseOffset) + " would exceed 2 GiB");
        }
        int position = (int) size;
        ByteBuffer bytes = batch.duplicate();
        long at = size;
        while (bytes.hasRemaining()) {
            at += log.write(bytes, at);
        }
        if (header.maxTimestamp() > maxTimestamp) {
            maxTimestamp = header.maxTimestamp();
            offsetOfMaxTimestamp = header.lastOffset();
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull() && !timeIndex.isFull()) {
            offsetIndex.append(header.lastOffset(), position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += header.sizeInBytes();
        size += header.sizeInBytes();
        records += header.recordsCount();
    }

    long size() {
        return size;
    }

    long records() {
        return records;
    }

    /** The final time index entry, trimmed indexes, everything forced; the writer is closed. */
    void finish() throws IOException {
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
        offsetIndex.trimToEntries();
        timeIndex.trimToEntries();
        log.force(true);
        log.close();
        open = false;
    }

    /** Closes and removes the files (the cleaning was abandoned or changed nothing). */
    void discard() throws IOException {
        close();
        for (Path file : files()) {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            log.close();
        }
    }
}
