package io.cairn.storage.memory.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.EpochEndOffset;
import io.cairn.storage.spi.EpochEntry;
import io.cairn.storage.spi.LeaderEpochHistory;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.OffsetOutOfRangeException;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.RetentionResult;
import io.cairn.storage.spi.TimestampOffset;
import io.cairn.storage.spi.TopicPartition;

/**
 * One partition's log on the heap: a map from base offset to a private copy of each batch.
 * Retention works batch by batch, the in-memory counterpart of a segment.
 *
 * <p>Thread-safe. Writes are serialised on the log's monitor; readers take no lock. Appends put
 * batches in the map before publishing the new end offset, truncation lowers the end offset before
 * removing batches, so a reader that bounds itself by the end offset it read sees whole batches of
 * a consistent prefix.
 */
final class MemoryLog implements PartitionLog {

    private final TopicPartition partition;
    private final ConcurrentSkipListMap<Long, ByteBuffer> batches = new ConcurrentSkipListMap<>();
    private volatile LeaderEpochHistory epochs = new LeaderEpochHistory();
    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long sizeInBytes;
    private volatile boolean closed;

    MemoryLog(TopicPartition partition, LogConfig config) {
        this.partition = Objects.requireNonNull(partition);
        this.config = Objects.requireNonNull(config);
    }

    @Override
    public TopicPartition topicPartition() {
        return partition;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public synchronized void updateConfig(LogConfig newConfig) {
        ensureOpen();
        this.config = Objects.requireNonNull(newConfig);
    }

    @Override
    public synchronized long append(ByteBuffer buffer) {
        ensureOpen();
        List<BatchHeader> headers = BatchHeader.readAll(buffer, logEndOffset);
        int position = buffer.position();
        long added = 0;
        for (BatchHeader header : headers) {
            ByteBuffer copy = ByteBuffer.allocate(header.sizeInBytes());
            copy.put(buffer.duplicate().position(position).limit(position + header.sizeInBytes())).flip();
            batches.put(header.baseOffset(), copy.asReadOnlyBuffer());
            position += header.sizeInBytes();
            added += header.sizeInBytes();
            int epoch = header.partitionLeaderEpoch();
            OptionalInt latest = epochs.latestEpoch();
            if (epoch >= 0 && (latest.isEmpty() || epoch > latest.getAsInt())) {
                epochs.assign(epoch, header.baseOffset());
            }
        }
        sizeInBytes += added;
        if (!headers.isEmpty()) {
            logEndOffset = headers.get(headers.size() - 1).nextOffset();
        }
        return logEndOffset;
    }

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) {
        ensureOpen();
        long end = logEndOffset;
        long start = logStartOffset;
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException("Offset " + offset + " is outside [" + start + ", " + end + "] of " + partition);
        }
        if (offset == end || offset >= maxOffset) {
            return MemoryReadResult.empty(offset);
        }
        List<ByteBuffer> region = new ArrayList<>();
        long bytes = 0;
        long first = -1;
        long next = offset;
        for (ByteBuffer batch : fromOffset(offset).values()) {
            BatchHeader header = BatchHeader.read(batch, 0);
            if (header.baseOffset() >= end || header.lastOffset() >= maxOffset) {
                break;
            }
            boolean fits = bytes + header.sizeInBytes() <= maxBytes;
            if (!fits && !(region.isEmpty() && minOneBatch)) {
                break;
            }
            region.add(batch.duplicate());
            bytes += header.sizeInBytes();
            if (first < 0) {
                first = header.baseOffset();
            }
            next = header.nextOffset();
        }
        return new MemoryReadResult(region, first, next);
    }

    /** The batches from the one holding {@code offset} (or the first after it) on. */
    private ConcurrentNavigableMap<Long, ByteBuffer> fromOffset(long offset) {
        Map.Entry<Long, ByteBuffer> floor = batches.floorEntry(offset);
        if (floor != null && BatchHeader.read(floor.getValue(), 0).lastOffset() >= offset) {
            return batches.tailMap(floor.getKey(), true);
        }
        return batches.tailMap(offset, true);
    }

    @Override
    public long logStartOffset() {
        ensureOpen();
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        ensureOpen();
        return logEndOffset;
    }

    @Override
    public long sizeInBytes() {
        ensureOpen();
        return sizeInBytes;
    }

    @Override
    public synchronized void truncateTo(long offset) {
        ensureOpen();
        if (offset >= logEndOffset) {
            return;
        }
        if (offset < logStartOffset) {
            logEndOffset = offset;
            batches.clear();
            sizeInBytes = 0;
            logStartOffset = offset;
            epochs = new LeaderEpochHistory();
            return;
        }
        logEndOffset = offset;
        Iterator<ByteBuffer> tail = fromOffset(offset).values().iterator();
        while (tail.hasNext()) {
            sizeInBytes -= tail.next().remaining();
            tail.remove();
        }
        epochs.truncateFromEnd(offset);
    }

    @Override
    public synchronized void advanceLogStart(long offset) {
        ensureOpen();
        if (offset > logEndOffset) {
            throw new OffsetOutOfRangeException("Log start " + offset + " would be above the log end " + logEndOffset);
        }
        if (offset <= logStartOffset) {
            return;
        }
        logStartOffset = offset;
        Iterator<ByteBuffer> head = batches.values().iterator();
        while (head.hasNext()) {
            ByteBuffer batch = head.next();
            if (BatchHeader.read(batch, 0).lastOffset() >= offset) {
                break;
            }
            sizeInBytes -= batch.remaining();
            head.remove();
        }
        epochs.truncateFromStart(offset);
    }

    @Override
    public synchronized RetentionResult enforceRetention(long nowMs, long maxDeletableOffset) {
        ensureOpen();
        LogConfig current = config;
        int deleted = 0;
        long bytes = 0;
        long excess = current.retentionBytes() < 0 ? 0 : sizeInBytes - current.retentionBytes();
        Iterator<ByteBuffer> head = batches.values().iterator();
        while (head.hasNext()) {
            ByteBuffer batch = head.next();
            BatchHeader header = BatchHeader.read(batch, 0);
            if (header.lastOffset() >= maxDeletableOffset) {
                break;
            }
            boolean expired = current.retentionMs() >= 0 && nowMs - header.maxTimestamp() > current.retentionMs();
            boolean oversize = excess - header.sizeInBytes() >= 0 && current.retentionBytes() >= 0;
            if (!expired && !oversize) {
                break;
            }
            excess -= header.sizeInBytes();
            bytes += header.sizeInBytes();
            deleted++;
            head.remove();
        }
        sizeInBytes -= bytes;
        if (deleted > 0) {
            Map.Entry<Long, ByteBuffer> first = batches.firstEntry();
            long newStart = first == null ? logEndOffset : Math.max(logStartOffset, first.getKey());
            if (newStart > logStartOffset) {
                logStartOffset = newStart;
                epochs.truncateFromStart(newStart);
            }
        }
        return new RetentionResult(deleted, bytes, logStartOffset);
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        ensureOpen();
        long start = logStartOffset;
        long end = logEndOffset;
        for (ByteBuffer batch : fromOffset(start).values()) {
            if (BatchHeader.read(batch, 0).baseOffset() >= end) {
                break;
            }
            TimestampOffset found = BatchHeader.firstRecordAtOrAfter(batch, 0, timestamp, start);
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void assignEpochStartOffset(int epoch, long startOffset) {
        ensureOpen();
        epochs.assign(epoch, startOffset);
    }

    @Override
    public OptionalInt latestEpoch() {
        ensureOpen();
        return epochs.latestEpoch();
    }

    @Override
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        ensureOpen();
        return epochs.endOffsetFor(epoch, logEndOffset);
    }

    @Override
    public List<EpochEntry> epochEntries() {
        ensureOpen();
        return epochs.entries();
    }

    @Override
    public void flush() {
        ensureOpen();
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public synchronized void delete() {
        closed = true;
        batches.clear();
        sizeInBytes = 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The log of " + partition + " is closed");
        }
    }
}
