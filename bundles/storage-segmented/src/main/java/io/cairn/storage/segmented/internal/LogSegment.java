package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.TimestampOffset;

/**
 * One segment: a {@code .log} file of v2 batches exactly as received, with its sparse
 * {@link OffsetIndex} and {@link TimeIndex}, named by its base offset.
 *
 * <p>Indexes of segments loaded from disk are opened lazily, on first use, and sanity-checked
 * then; an index that fails the check, is missing, or points at something that is not the batch
 * it claims is rebuilt from the log file. Indexes are never trusted blindly.
 *
 * <p>Thread-safety: {@link #append}, {@link #truncateTo}, {@link #recover}, the activity changes
 * and {@link #close} come from the owning log's writer (serialised by it). Readers call
 * {@link #read}, {@link #findOffsetByTimestamp} and the getters from any thread: the bytes up to
 * the published {@link #size()} are immutable until a truncation, and everything touching the
 * indexes is serialised on this object.
 */
final class LogSegment {

    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

    /** Signals that the segment's file was closed (deleted) under a reader; the log retries. */
    static final class DeletedException extends IOException {
        private static final long serialVersionUID = 1L;

        DeletedException() {
            super("segment deleted", null);
        }
    }

    /** A batch header and where it starts. */
    private record Located(int position, BatchHeader header) {
    }

    private final Path dir;
    private final long baseOffset;
    private final SharedChannel channel;
    private final long createdMs;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexBytes;
    private final int indexIntervalBytes;

    private volatile int size;
    private volatile boolean dirty;
    // Guarded by this.
    private boolean indexesLoaded;
    /** The files were renamed away (retention, or replaced by a cleaned segment): never open them by name again. */
    private boolean retired;
    private boolean active;
    private int bytesSinceLastIndexEntry;
    private long maxTimestampSoFar = BatchHeader.NO_TIMESTAMP;
    private long offsetOfMaxTimestampSoFar;

    private LogSegment(Path dir, long baseOffset, FileChannel file, int size, long createdMs, LogConfig config, boolean active) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.channel = new SharedChannel(file);
        this.size = size;
        this.createdMs = createdMs;
        this.offsetIndex = new OffsetIndex(LogFiles.offsetIndex(dir, baseOffset), baseOffset);
        this.timeIndex = new TimeIndex(LogFiles.timeIndex(dir, baseOffset), baseOffset);
        this.indexBytes = config.segmentIndexBytes();
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.active = active;
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** A new, empty, active segment; any files left under its names are replaced. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        Files.deleteIfExists(LogFiles.offsetIndex(dir, baseOffset));
        Files.deleteIfExists(LogFiles.timeIndex(dir, baseOffset));
        FileChannel file = FileChannel.open(LogFiles.log(dir, baseOffset), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        LogSegment segment = new LogSegment(dir, baseOffset, file, 0, nowMs, config, true);
        synchronized (segment) {
            segment.offsetIndex.open(true, segment.indexBytes);
            segment.timeIndex.open(true, segment.indexBytes);
            segment.indexesLoaded = true;
        }
        return segment;
    }

    /** An existing segment, opened without reading anything but its length. */
    static LogSegment load(Path dir, long baseOffset, LogConfig config, long nowMs, boolean active) throws IOException {
        FileChannel file = FileChannel.open(LogFiles.log(dir, baseOffset), StandardOpenOption.READ, StandardOpenOption.WRITE);
        long length = file.size();
        if (length > Integer.MAX_VALUE) {
            file.close();
            throw new IOException("Segment " + LogFiles.log(dir, baseOffset) + " is larger than 2 GiB");
        }
        return new LogSegment(dir, baseOffset, file, (int) length, nowMs, config, active);
    }

    /**
     * A segment the cleaner wrote, over a channel already open on its file (opened under its
     * {@code .swap} name and renamed since: the channel follows the file). Inactive; its indexes
     * are opened lazily from their final names.
     */
    static LogSegment cleaned(Path dir, long baseOffset, FileChannel file, LogConfig config, long nowMs) throws IOException {
        long length = file.size();
        if (length > Integer.MAX_VALUE) {
            throw new IOException("Cleaned segment " + LogFiles.log(dir, baseOffset) + " is larger than 2 GiB");
        }
        return new LogSegment(dir, baseOffset, file, (int) length, nowMs, config, false);
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Receives whole batches in file order; {@code batch} is a heap buffer holding one batch at position 0. */
    interface BatchVisitor {
        /** @return false to stop */
        boolean visit(BatchHeader header, ByteBuffer batch) throws IOException;
    }

    /**
     * Reads every whole batch up to the size at call time, in order, through a read buffer of
     * about {@code chunkBytes} (grown for a larger batch). A malformed header ends the walk, as
     * it ends reads.
     *
     * @throws DeletedException if the segment was deleted meanwhile
     */
    void forEachBatch(int chunkBytes, BatchVisitor visitor) throws IOException {
        int limit = size;
        int position = 0;
        ByteBuffer chunk = ByteBuffer.allocate(Math.max(chunkBytes, BatchHeader.HEADER_SIZE));
        int chunkStart = 0;
        chunk.limit(0);
        while (position < limit) {
            int inChunk = position - chunkStart;
            if (chunk.limit() - inChunk < BatchHeader.HEADER_SIZE || chunk.limit() - inChunk < batchLengthAt(chunk, inChunk)) {
                int want = Math.min(Math.max(chunk.capacity(), BatchHeader.HEADER_SIZE), limit - position);
                if (chunk.limit() - inChunk >= BatchHeader.HEADER_SIZE) {
                    want = Math.max(want, Math.min(batchLengthAt(chunk, inChunk), limit - position));
                }
                if (want > chunk.capacity()) {
                    chunk = ByteBuffer.allocate(want);
                }
                chunk.clear().limit(want);
                try {
                    while (chunk.hasRemaining()) {
                        if (channel.channel().read(chunk, position + chunk.position()) < 0) {
                            return;
                        }
                    }
                } catch (ClosedChannelException e) {
                    throw new DeletedException();
                }
                chunk.flip();
                chunkStart = position;
                inChunk = 0;
                if (chunk.limit() < BatchHeader.HEADER_SIZE) {
                    return;
                }
            }
            BatchHeader header = BatchHeader.read(chunk, inChunk);
            if (header.problem(limit - position) != null) {
                return;
            }
            if (chunk.limit() - inChunk < header.sizeInBytes()) {
                continue; // read again with room for the whole batch
            }
            ByteBuffer batch = chunk.duplicate().limit(inChunk + header.sizeInBytes()).position(inChunk).slice();
            if (!visitor.visit(header, batch)) {
                return;
            }
            position += header.sizeInBytes();
        }
    }

    /** The whole size of the batch at {@code at} in {@code buffer}, from its length field (at least a header). */
    private static int batchLengthAt(ByteBuffer buffer, int at) {
        return Math.max(BatchHeader.HEADER_SIZE, buffer.getInt(at + 8) + BatchHeader.LOG_OVERHEAD);
    }

    /** The max timestamp of the first batch (Kafka's {@code getFirstBatchTimestamp}), or -1 if empty. */
    long firstBatchTimestamp() throws IOException {
        BatchHeader first = size > 0 ? validHeaderAt(0, size) : null;
        return first == null ? BatchHeader.NO_TIMESTAMP : first.maxTimestamp();
    }

    /** Bytes of whole batches readers may see. */
    int size() {
        return size;
    }

    long createdMs() {
        return createdMs;
    }

    boolean isDirty() {
        return dirty;
    }

    /** Whether an index has no room for another entry (then the log rolls). */
    synchronized boolean indexFull() throws IOException {
        ensureIndexes();
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /**
     * Writes whole, already validated batches at the end of the file and indexes them, then makes
     * them visible to readers.
     */
    void append(ByteBuffer source, int position, List<BatchHeader> batches) throws IOException {
        int bytes = batches.stream().mapToInt(BatchHeader::sizeInBytes).sum();
        ByteBuffer slice = source.duplicate().limit(position + bytes).position(position);
        int start = size;
        long writePosition = start;
        dirty = true;
        while (slice.hasRemaining()) {
            writePosition += channel.channel().write(slice, writePosition);
        }
        synchronized (this) {
            ensureIndexes();
            int batchPosition = start;
            for (BatchHeader header : batches) {
                index(header, batchPosition);
                batchPosition += header.sizeInBytes();
            }
        }
        size = start + bytes;
    }

    /** Kafka's indexing rule, batch by batch (guarded by this). */
    private void index(BatchHeader header, int position) {
        if (header.maxTimestamp() > maxTimestampSoFar) {
            maxTimestampSoFar = header.maxTimestamp();
            offsetOfMaxTimestampSoFar = header.lastOffset();
        }
        // A full index only happens within one append run; the log rolls before the next run.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull()) {
            offsetIndex.append(header.lastOffset(), position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += header.sizeInBytes();
    }

    /**
     * Whole batches starting with the first one holding an offset at or after {@code offset}.
     *
     * @return null if this segment holds no batch at or after {@code offset} (try the next one);
     *     an empty result if the first such batch is beyond the limits
     * @throws DeletedException if the segment was deleted meanwhile
     */
    FileRegionReadResult read(long offset, int maxBytes, long limitOffset, boolean minOneBatch) throws IOException {
        int sizeNow = size;
        Located first = locate(offset, sizeNow);
        if (first == null) {
            return null;
        }
        int start = first.position();
        int end = start;
        long next = offset;
        BatchHeader header = first.header();
        // Skip the header walk over batches the index already vouches for (every batch before
        // the farthest entry that fits the byte budget and the offset limit).
        OffsetIndex.Entry jump;
        synchronized (this) {
            jump = offsetIndex.farthestWithin(start, (long) start + maxBytes, limitOffset);
        }
        if (jump != null && jump.position() < sizeNow) {
            BatchHeader atJump = validHeaderAt(jump.position(), sizeNow);
            if (atJump != null && atJump.lastOffset() == jump.offset()) {
                end = jump.position();
                next = atJump.baseOffset();
                header = atJump;
            }
        }
        while (header != null && header.lastOffset() < limitOffset && end + header.sizeInBytes() <= sizeNow) {
            boolean fits = (long) end - start + header.sizeInBytes() <= maxBytes;
            if (!fits && !(end == start && minOneBatch)) {
                break;
            }
            end += header.sizeInBytes();
            next = header.nextOffset();
            header = end < sizeNow ? validHeaderAt(end, sizeNow) : null;
        }
        if (end == start) {
            return FileRegionReadResult.empty(offset);
        }
        if (!channel.retain()) {
            throw new DeletedException();
        }
        return new FileRegionReadResult(channel, start, end - start, first.header().baseOffset(), next);
    }

    /**
     * The first record at or after {@code timestamp} and {@code startingOffset} in this segment, or
     * null.
     */
    TimestampOffset findOffsetByTimestamp(long timestamp, long startingOffset) throws IOException {
        long from;
        synchronized (this) {
            ensureIndexes();
            from = Math.max(timeIndex.lookupBelow(timestamp), startingOffset);
        }
        int sizeNow = size;
        Located located = locate(from, sizeNow);
        if (located == null) {
            return null;
        }
        int position = located.position();
        BatchHeader header = located.header();
        while (header != null) {
            if (header.maxTimestamp() >= timestamp && header.lastOffset() >= startingOffset) {
                ByteBuffer batch = readFully(position, header.sizeInBytes());
                TimestampOffset found = BatchHeader.firstRecordAtOrAfter(batch, 0, timestamp, startingOffset);
                if (found != null) {
                    return found;
                }
            }
            position += header.sizeInBytes();
            header = position < sizeNow ? validHeaderAt(position, sizeNow) : null;
        }
        return null;
    }

    /** The newest timestamp in the segment (retention by time), or the file's modification time. */
    long largestTimestamp() throws IOException {
        long max;
        synchronized (this) {
            ensureIndexes();
            max = maxTimestampSoFar;
        }
        if (max >= 0) {
            return max;
        }
        return Files.getLastModifiedTime(LogFiles.log(dir, baseOffset)).toMillis();
    }

    /**
     * Finds the batch holding {@code offset} (or the first after it) below {@code limit}, starting
     * from the index's hint. A hint that is not the batch it claims means a corrupt index: it is
     * rebuilt and the search starts over from the beginning of the file.
     */
    private Located locate(long offset, int limit) throws IOException {
        OffsetIndex.Entry hint;
        synchronized (this) {
            ensureIndexes();
            hint = offsetIndex.lookup(offset);
        }
        int position = 0;
        if (hint != null) {
            BatchHeader atHint = hint.position() < limit ? validHeaderAt(hint.position(), limit) : null;
            if (atHint != null && atHint.lastOffset() == hint.offset()) {
                position = hint.position();
            } else if (hint.position() < limit && !isRetired()) {
                synchronized (this) {
                    LOG.warn("Offset index of {} points at something else than offset {}; rebuilding it",
                            LogFiles.log(dir, baseOffset), hint.offset());
                    rebuildIndexes(false);
                }
            }
        }
        while (position < limit) {
            BatchHeader header = validHeaderAt(position, limit);
            if (header == null) {
                return null;
            }
            if (header.lastOffset() >= offset) {
                return new Located(position, header);
            }
            position += header.sizeInBytes();
        }
        return null;
    }

    /** The header at {@code position} if it starts a well-formed batch that ends by {@code limit}. */
    private BatchHeader validHeaderAt(int position, int limit) throws IOException {
        if (limit - position < BatchHeader.HEADER_SIZE) {
            return null;
        }
        ByteBuffer buffer = readFully(position, BatchHeader.HEADER_SIZE);
        if (buffer == null) {
            return null;
        }
        BatchHeader header = BatchHeader.read(buffer, 0);
        return header.problem(limit - position) == null ? header : null;
    }

    private ByteBuffer readFully(int position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                if (channel.channel().read(buffer, position + buffer.position()) < 0) {
                    return null;
                }
            }
        } catch (ClosedChannelException e) {
            throw new DeletedException();
        }
        return buffer.flip();
    }

    private synchronized boolean isRetired() {
        return retired;
    }

    /**
     * Opens and checks the indexes now (before the files are renamed away, so that the segment
     * stays fully readable from its open channel and mappings until released).
     */
    synchronized void loadIndexes() throws IOException {
        ensureIndexes();
    }

    /** Opens the indexes on first use and rebuilds them if they cannot be trusted. Guarded by this. */
    private void ensureIndexes() throws IOException {
        if (indexesLoaded) {
            return;
        }
        if (retired) {
            // Its index files are gone, or (a replaced segment) another segment's now: a reader
            // that still holds this segment looks again in the log.
            throw new DeletedException();
        }
        String problem = null;
        if (!Files.exists(offsetIndex.file) || !Files.exists(timeIndex.file)) {
            problem = "missing";
        } else if (!offsetIndex.open(active, indexBytes) || !timeIndex.open(active, indexBytes)) {
            problem = "length is not a whole number of entries";
        } else {
            problem = offsetIndex.sanityProblem(size);
            if (problem == null) {
                problem = timeIndex.sanityProblem(size);
            }
        }
        if (problem != null) {
            LOG.warn("Index of segment {} cannot be trusted ({}); rebuilding it", LogFiles.log(dir, baseOffset), problem);
            rebuildIndexes(false);
        } else {
            maxTimestampSoFar = timeIndex.lastTimestamp();
            offsetOfMaxTimestampSoFar = timeIndex.entries() == 0 ? baseOffset : timeIndex.lookupBelow(Long.MAX_VALUE);
        }
        indexesLoaded = true;
    }

    /**
     * Scans the log file batch by batch and rebuilds both indexes. With {@code verify}, every
     * batch's CRC-32C is checked and the file is cut after the last whole valid batch (recovery);
     * without, the scan trusts the data and stops at the first malformed header.
     *
     * @return the bytes cut off the end of the file
     */
    private int rebuildIndexes(boolean verify) throws IOException {
        if (!Files.exists(offsetIndex.file) || !Files.exists(timeIndex.file)) {
            Files.deleteIfExists(offsetIndex.file);
            Files.deleteIfExists(timeIndex.file);
        }
        offsetIndex.open(true, indexBytes);
        timeIndex.open(true, indexBytes);
        offsetIndex.reset(indexBytes);
        timeIndex.reset(indexBytes);
        maxTimestampSoFar = BatchHeader.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        bytesSinceLastIndexEntry = 0;
        long fileSize = channel.channel().size();
        int limit = (int) Math.min(fileSize, verify ? Integer.MAX_VALUE : size);
        int position = 0;
        long expectedOffset = baseOffset;
        while (position < limit) {
            BatchHeader header = validHeaderAt(position, limit);
            if (header == null || header.baseOffset() < expectedOffset
                    || header.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                break;
            }
            if (verify && !BatchHeader.crcMatches(readFully(position, header.sizeInBytes()), 0)) {
                LOG.warn("CRC mismatch in batch at offset {} position {} of {}", header.baseOffset(), position,
                        LogFiles.log(dir, baseOffset));
                break;
            }
            index(header, position);
            expectedOffset = header.nextOffset();
            position += header.sizeInBytes();
        }
        int truncated = 0;
        if (verify && position < fileSize) {
            truncated = (int) (fileSize - position);
            channel.channel().truncate(position);
            size = position;
        } else if (!verify && position < size) {
            LOG.error("Segment {} holds malformed data at position {} below its trusted size {}; reads stop there",
                    LogFiles.log(dir, baseOffset), position, size);
        }
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, !active);
        if (!active) {
            offsetIndex.trimToEntries();
            timeIndex.trimToEntries();
        }
        indexesLoaded = true;
        return truncated;
    }

    /**
     * Recovery after an unclean shutdown: verifies every batch's CRC-32C, cuts the file after the
     * last whole valid batch, rebuilds the indexes.
     *
     * @return the bytes cut off
     */
    synchronized int recover() throws IOException {
        dirty = true;
        return rebuildIndexes(true);
    }

    /**
     * The offset after the last batch (the base offset if empty), found by scanning from the last
     * index entry; -1 if the tail is not made of whole, well-formed batches (recover then).
     */
    synchronized long readNextOffset() throws IOException {
        ensureIndexes();
        int limit = size;
        OffsetIndex.Entry last = offsetIndex.entries() == 0 ? null : offsetIndex.lookup(Long.MAX_VALUE);
        int position = last == null ? 0 : last.position();
        long next = baseOffset;
        while (position < limit) {
            BatchHeader header = validHeaderAt(position, limit);
            if (header == null) {
                return -1;
            }
            if (header.maxTimestamp() > maxTimestampSoFar) {
                maxTimestampSoFar = header.maxTimestamp();
                offsetOfMaxTimestampSoFar = header.lastOffset();
            }
            next = header.nextOffset();
            position += header.sizeInBytes();
        }
        if (last != null && next == baseOffset) {
            return -1;
        }
        return next;
    }

    /** Every batch header in the file (for rebuilding the leader-epoch history). */
    List<BatchHeader> headers() throws IOException {
        List<BatchHeader> headers = new ArrayList<>();
        int limit = size;
        int position = 0;
        while (position < limit) {
            BatchHeader header = validHeaderAt(position, limit);
            if (header == null) {
                break;
            }
            headers.add(header);
            position += header.sizeInBytes();
        }
        return headers;
    }

    /**
     * Removes every batch holding an offset at or after {@code offset}.
     *
     * @return the bytes removed
     */
    synchronized int truncateTo(long offset) throws IOException {
        ensureIndexes();
        int before = size;
        Located from = locate(offset, before);
        if (from == null) {
            return 0;
        }
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        size = from.position();
        channel.channel().truncate(from.position());
        dirty = true;
        // Recompute the largest timestamp and the bytes since the last index entry.
        maxTimestampSoFar = timeIndex.lastTimestamp();
        offsetOfMaxTimestampSoFar = timeIndex.entries() == 0 ? baseOffset : timeIndex.lookupBelow(Long.MAX_VALUE);
        OffsetIndex.Entry last = offsetIndex.entries() == 0 ? null : offsetIndex.lookup(Long.MAX_VALUE);
        int position = last == null ? 0 : last.position();
        bytesSinceLastIndexEntry = 0;
        while (position < size) {
            BatchHeader header = validHeaderAt(position, size);
            if (header == null) {
                break;
            }
            if (header.maxTimestamp() > maxTimestampSoFar) {
                maxTimestampSoFar = header.maxTimestamp();
                offsetOfMaxTimestampSoFar = header.lastOffset();
            }
            bytesSinceLastIndexEntry += header.sizeInBytes();
            position += header.sizeInBytes();
        }
        return before - size;
    }

    /** Writes the final time index entry and shrinks both index files: the segment was rolled. */
    synchronized void onBecomeInactive() throws IOException {
        ensureIndexes();
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        offsetIndex.trimToEntries();
        timeIndex.trimToEntries();
        active = false;
    }

    /** Makes the indexes writable again: the log was truncated back into this segment. */
    synchronized void makeActive() throws IOException {
        ensureIndexes();
        offsetIndex.makeWritable(indexBytes);
        timeIndex.makeWritable(indexBytes);
        active = true;
    }

    /** Forces the log file and the indexes to stable storage. */
    void flush() throws IOException {
        boolean wasDirty = dirty;
        dirty = false;
        try {
            channel.channel().force(false);
        } catch (ClosedChannelException e) {
            return; // deleted meanwhile: nothing left to make durable
        } catch (IOException e) {
            dirty = wasDirty;
            throw e;
        }
        synchronized (this) {
            if (indexesLoaded) {
                offsetIndex.flush();
                timeIndex.flush();
            }
        }
    }

    /** Forces only the log file's data (fsync before ack); the indexes can be rebuilt. */
    void forceData() throws IOException {
        channel.channel().force(false);
    }

    /** Final time index entry, trimmed indexes, file cut to its whole batches, channel released. */
    synchronized void close() throws IOException {
        try {
            if (indexesLoaded) {
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
                offsetIndex.flush();
                timeIndex.flush();
                offsetIndex.trimToEntries();
                timeIndex.trimToEntries();
            }
            if (channel.channel().size() > size) {
                channel.channel().truncate(size);
                dirty = true;
            }
            if (dirty) {
                channel.channel().force(true);
            }
        } finally {
            channel.release();
        }
    }

    /**
     * Renames the segment's files to {@code *.deleted} and drops the segment's own reference on
     * the file (open read regions keep it readable).
     *
     * @return the renamed files, for asynchronous removal
     */
    synchronized List<Path> markDeleted() throws IOException {
        List<Path> renamed = renameToDeleted();
        channel.release();
        return renamed;
    }

    /**
     * Renames the files to {@code *.deleted} but keeps the segment readable (its channel open):
     * the first half of replacing it by a cleaned segment. {@link #release()} is the second.
     */
    synchronized List<Path> renameToDeleted() throws IOException {
        retired = true;
        List<Path> renamed = new ArrayList<>();
        for (Path file : List.of(LogFiles.log(dir, baseOffset), offsetIndex.file, timeIndex.file)) {
            if (Files.exists(file)) {
                Path target = file.resolveSibling(file.getFileName() + LogFiles.DELETED_SUFFIX);
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
                renamed.add(target);
            }
        }
        return renamed;
    }

    /** Drops the segment's own reference on its file; regions read before keep it open. */
    void release() {
        channel.release();
    }

    @Override
    public String toString() {
        return "LogSegment(" + LogFiles.baseName(baseOffset) + ", " + size + " bytes)";
    }
}
