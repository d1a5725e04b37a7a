package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * A partition's log as Kafka keeps it: segments in a directory, the last one active.
 *
 * <p>Thread-safety: writes are serialised on this object. Readers take no lock: appends publish
 * the log end offset (volatile) after the bytes and index entries are in place, truncation lowers
 * it before removing anything, and the log start is raised before segments are deleted. A read
 * bounds itself by the log end it saw and holds a reference on the segment file it returns.
 *
 * <p>Durability: the recovery point (everything below it is known to be on stable storage) moves
 * when a flush completes: the explicit {@link #flush()}, {@code flush.messages}/{@code flush.ms},
 * and the asynchronous flush of each segment as it is rolled. It is checkpointed on roll, on
 * truncation, at most every {@code checkpointIntervalMs} on flush, and on close.
 *
 * <p>Compaction: with {@code cleanup.policy=compact} the engine's {@link LogCleaner} reads this
 * log's inactive segments without its lock (from a {@link #cleanerView()}) and takes the lock only
 * in {@link #replaceSegments} to swap cleaned segments in; closing or deleting the log first stops
 * a cleaning of it. Time and size retention apply only when the policy lists {@code delete}.
 */
final class SegmentedLog implements PartitionLog {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedLog.class);
    private static final int READ_RETRIES = 5;

    private final TopicPartition partition;
    private final Path dir;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final long checkpointIntervalMs;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    /** The engine's cleaner, told about opens, truncations and closes; null for a log without one. */
    private final LogCleaner cleaner;
    /** Test hook: called after each step of a segment swap (to simulate a crash there). */
    volatile java.util.function.Consumer<SwapStep> swapHook = step -> { };

    private volatile LogConfig config;
    private volatile LeaderEpochHistory epochs;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile boolean closed;
    // Guarded by this.
    private LogSegment active;
    private long recoveryPoint;
    private long lastCheckpointMs;
    private long unflushedRecords;
    private long lastFlushMs;
    private long truncations;
    private ScheduledFuture<?> flushTask;

    private SegmentedLog(TopicPartition partition, Path dir, LogConfig config, Clock clock,
            ScheduledExecutorService scheduler, long checkpointIntervalMs, LogLoader.Loaded loaded, LogCleaner cleaner) {
        this.partition = partition;
        this.cleaner = cleaner;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.checkpointIntervalMs = checkpointIntervalMs;
        this.segments = new ConcurrentSkipListMap<>(loaded.segments());
        this.active = segments.lastEntry().getValue();
        this.epochs = loaded.epochs();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.lastFlushMs = clock.millis();
    }

    /** Opens (creating or recovering) the log in {@code dir}. */
    static SegmentedLog open(TopicPartition partition, Path dir, LogConfig config, Clock clock,
            ScheduledExecutorService scheduler, long checkpointIntervalMs) throws IOException {
        return open(partition, dir, config, clock, scheduler, checkpointIntervalMs, null);
    }

    /** Opens (creating or recovering) the log in {@code dir} and hands it to {@code cleaner} (if not null). */
    static SegmentedLog open(TopicPartition partition, Path dir, LogConfig config, Clock clock,
            ScheduledExecutorService scheduler, long checkpointIntervalMs, LogCleaner cleaner) throws IOException {
        long started = System.nanoTime();
        LogLoader.Loaded loaded = new LogLoader(partition, dir, config, clock.millis()).load();
        SegmentedLog log = new SegmentedLog(partition, dir, config, clock, scheduler, checkpointIntervalMs, loaded, cleaner);
        synchronized (log) {
            // Everything loaded is either verified and forced (recovery) or was closed cleanly.
            log.recoveryPoint = log.logEndOffset;
            if (loaded.checkpointedRecoveryPoint() != log.recoveryPoint) {
                log.writeRecoveryPoint();
            } else {
                log.lastCheckpointMs = clock.millis();
            }
            if (loaded.checkpointedLogStart() != log.logStartOffset) {
                log.writeLogStart();
            }
            log.scheduleFlushCheck();
        }
        if (cleaner != null) {
            cleaner.register(log);
        }
        LOG.debug("Opened {} in {} ms: {} segment(s), offsets [{}, {}){}", partition,
                (System.nanoTime() - started) / 1_000_000, log.segments.size(), log.logStartOffset, log.logEndOffset,
                loaded.recovered() ? " after recovery" : "");
        return log;
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
        scheduleFlushCheck();
    }

    // ---------------------------------------------------------------------------------- writes

    @Override
    public synchronized long append(ByteBuffer buffer) throws IOException {
        ensureOpen();
        List<BatchHeader> headers = BatchHeader.readAll(buffer, logEndOffset);
        if (headers.isEmpty()) {
            return logEndOffset;
        }
        LogConfig current = config;
        long now = clock.millis();
        int position = buffer.position();
        List<LogSegment> touched = new ArrayList<>(1);
        int i = 0;
        while (i < headers.size()) {
            if (shouldRoll(active, headers.get(i), 0, current, now)) {
                roll(headers.get(i).baseOffset(), now);
            }
            int j = i;
            int runBytes = 0;
            do {
                runBytes += headers.get(j).sizeInBytes();
                j++;
            } while (j < headers.size() && !shouldRoll(active, headers.get(j), runBytes, current, now));
            active.append(buffer, position, headers.subList(i, j));
            if (!touched.contains(active)) {
                touched.add(active);
            }
            position += runBytes;
            i = j;
        }
        boolean epochChanged = false;
        long records = 0;
        for (BatchHeader header : headers) {
            int epoch = header.partitionLeaderEpoch();
            OptionalInt latest = epochs.latestEpoch();
            if (epoch >= 0 && (latest.isEmpty() || epoch > latest.getAsInt())) {
                epochChanged |= epochs.assign(epoch, header.baseOffset());
            }
            records += header.recordsCount();
        }
        if (epochChanged) {
            writeEpochs();
        }
        logEndOffset = headers.get(headers.size() - 1).nextOffset();
        if (current.flushOnAck()) {
            for (LogSegment segment : touched) {
                segment.forceData();
            }
        }
        unflushedRecords += records;
        if (unflushedRecords >= current.flushMessages()
                || (current.flushMs() != Long.MAX_VALUE && now - lastFlushMs >= current.flushMs())) {
            flushUpTo(logEndOffset, true);
        }
        return logEndOffset;
    }

    /** Kafka's roll conditions: size, age, a full index, or offsets too far for 4-byte deltas. */
    private static boolean shouldRoll(LogSegment segment, BatchHeader next, int pendingBytes, LogConfig config, long now)
            throws IOException {
        if (next.lastOffset() - segment.baseOffset() > Integer.MAX_VALUE) {
            return true;
        }
        long size = (long) segment.size() + pendingBytes;
        if (size == 0) {
            return false;
        }
        return size + next.sizeInBytes() > config.segmentBytes()
                || now - segment.createdMs() > config.segmentMs()
                || (pendingBytes == 0 && segment.indexFull());
    }

    /** Starts a new active segment at {@code baseOffset}; the old one is flushed asynchronously. Guarded by this. */
    private void roll(long baseOffset, long now) throws IOException {
        LogSegment old = active;
        old.onBecomeInactive();
        LogSegment fresh = LogSegment.create(dir, baseOffset, config, now);
        segments.put(baseOffset, fresh);
        active = fresh;
        if (old.size() == 0) {
            segments.remove(old.baseOffset());
            deleteLater(old, 0);
        } else {
            LOG.debug("{}: rolled to a new segment at {}", partition, baseOffset);
            runAsync(() -> {
                try {
                    flushUpTo(baseOffset, true);
                } catch (IOException e) {
                    LOG.error("{}: flushing the rolled segment below {} failed", partition, baseOffset, e);
                }
            });
        }
    }

    @Override
    public synchronized void truncateTo(long offset) throws IOException {
        ensureOpen();
        if (offset >= logEndOffset) {
            return;
        }
        truncations++;
        if (cleaner != null) {
            cleaner.truncated(this, offset);
        }
        if (offset < logStartOffset) {
            truncateFullyAndStartAt(offset);
            return;
        }
        logEndOffset = offset;
        for (LogSegment later : new ArrayList<>(segments.tailMap(offset, false).values())) {
            segments.remove(later.baseOffset());
            deleteLater(later, config.fileDeleteDelayMs());
        }
        LogSegment floor = segments.floorEntry(offset).getValue();
        floor.truncateTo(offset);
        if (floor != active) {
            floor.makeActive();
            active = floor;
        }
        if (epochs.truncateFromEnd(offset)) {
            writeEpochs();
        }
        if (recoveryPoint > offset) {
            recoveryPoint = offset;
            writeRecoveryPoint();
        }
        LOG.info("{}: truncated to offset {}", partition, offset);
    }

    /** Empties the log and starts it again at {@code offset}. Guarded by this. */
    private void truncateFullyAndStartAt(long offset) throws IOException {
        logEndOffset = offset;
        logStartOffset = offset;
        for (LogSegment segment : new ArrayList<>(segments.values())) {
            segments.remove(segment.baseOffset());
            deleteLater(segment, config.fileDeleteDelayMs());
        }
        active = LogSegment.create(dir, offset, config, clock.millis());
        segments.put(offset, active);
        epochs = new LeaderEpochHistory();
        writeEpochs();
        recoveryPoint = offset;
        writeRecoveryPoint();
        writeLogStart();
        LOG.info("{}: emptied, starting again at offset {}", partition, offset);
    }

    @Override
    public synchronized void advanceLogStart(long offset) throws IOException {
        ensureOpen();
        if (offset > logEndOffset) {
            throw new OffsetOutOfRangeException("Log start " + offset + " would be above the log end " + logEndOffset + " of " + partition);
        }
        if (offset <= logStartOffset) {
            return;
        }
        logStartOffset = offset;
        List<LogSegment> below = new ArrayList<>();
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            Long next = segments.higherKey(entry.getKey());
            if (next == null || next > offset) {
                break;
            }
            below.add(entry.getValue());
        }
        for (LogSegment segment : below) {
            segments.remove(segment.baseOffset());
            deleteLater(segment, config.fileDeleteDelayMs());
        }
        if (epochs.truncateFromStart(offset)) {
            writeEpochs();
        }
        writeLogStart();
    }

    @Override
    public synchronized RetentionResult enforceRetention(long nowMs, long maxDeletableOffset) throws IOException {
        ensureOpen();
        LogConfig current = config;
        if (!CleanerConfig.deletes(current)) {
            return new RetentionResult(0, 0, logStartOffset); // cleanup.policy=compact: the cleaner's job
        }
        List<LogSegment> expired = new ArrayList<>();
        if (current.retentionMs() >= 0) {
            for (LogSegment segment : deletableCandidates(maxDeletableOffset)) {
                if (nowMs - segment.largestTimestamp() <= current.retentionMs()) {
                    break;
                }
                expired.add(segment);
            }
        }
        int deleted = expired.size();
        long bytes = delete(expired, nowMs);
        if (current.retentionBytes() >= 0) {
            long excess = sizeInBytes() - current.retentionBytes();
            List<LogSegment> oversize = new ArrayList<>();
            for (LogSegment segment : deletableCandidates(maxDeletableOffset)) {
                if (excess - segment.size() < 0) {
                    break;
                }
                excess -= segment.size();
                oversize.add(segment);
            }
            deleted += oversize.size();
            bytes += delete(oversize, nowMs);
        }
        if (deleted > 0) {
            LOG.info("{}: retention deleted {} segment(s), {} bytes; log start is now {}", partition, deleted, bytes, logStartOffset);
        }
        return new RetentionResult(deleted, bytes, logStartOffset);
    }

    /** Segments from the oldest on that lie wholly below {@code maxDeletableOffset}; never a last, empty one. */
    private List<LogSegment> deletableCandidates(long maxDeletableOffset) {
        List<LogSegment> candidates = new ArrayList<>();
        for (LogSegment segment : segments.values()) {
            Long next = segments.higherKey(segment.baseOffset());
            long upperBound = next == null ? logEndOffset : next;
            if (upperBound > maxDeletableOffset || (next == null && segment.size() == 0)) {
                break;
            }
            candidates.add(segment);
        }
        return candidates;
    }

    /** Deletes oldest segments; if that is all of them, rolls first so an active segment remains. Guarded by this. */
    private long delete(List<LogSegment> oldest, long nowMs) throws IOException {
        if (oldest.isEmpty()) {
            return 0;
        }
        if (oldest.size() == segments.size()) {
            roll(logEndOffset, clock.millis());
        }
        Long next = segments.higherKey(oldest.get(oldest.size() - 1).baseOffset());
        long newStart = next == null ? logEndOffset : next;
        if (newStart > logStartOffset) {
            logStartOffset = newStart;
        }
        long bytes = 0;
        for (LogSegment segment : oldest) {
            bytes += segment.size();
            segments.remove(segment.baseOffset());
            deleteLater(segment, config.fileDeleteDelayMs());
        }
        if (epochs.truncateFromStart(logStartOffset)) {
            writeEpochs();
        }
        writeLogStart();
        return bytes;
    }

    @Override
    public synchronized void assignEpochStartOffset(int epoch, long startOffset) throws IOException {
        ensureOpen();
        if (epochs.assign(epoch, startOffset)) {
            writeEpochs();
        }
    }

    // ----------------------------------------------------------------------------------- reads

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        for (int attempt = 0; ; attempt++) {
            ensureOpen();
            long end = logEndOffset;
            long start = logStartOffset;
            if (offset < start || offset > end) {
                throw new OffsetOutOfRangeException("Offset " + offset + " is outside [" + start + ", " + end + "] of " + partition);
            }
            if (offset == end || offset >= maxOffset) {
                return FileRegionReadResult.empty(offset);
            }
            long limit = Math.min(maxOffset, end);
            try {
                Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
                if (entry == null) {
                    entry = segments.firstEntry();
                }
                while (entry != null && entry.getKey() < end) {
                    LogReadResult result = entry.getValue().read(offset, maxBytes, limit, minOneBatch);
                    if (result != null) {
                        return result;
                    }
                    entry = segments.higherEntry(entry.getKey());
                }
                return FileRegionReadResult.empty(offset);
            } catch (LogSegment.DeletedException e) {
                if (attempt >= READ_RETRIES) {
                    throw e;
                }
                // Retention or truncation removed the segment under us: look again.
            }
        }
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
        long size = 0;
        for (LogSegment segment : segments.values()) {
            size += segment.size();
        }
        return size;
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) throws IOException {
        ensureOpen();
        long start = logStartOffset;
        long end = logEndOffset;
        Long from = segments.floorKey(start);
        for (LogSegment segment : segments.tailMap(from == null ? Long.MIN_VALUE : from, true).values()) {
            if (segment.baseOffset() >= end) {
                break;
            }
            try {
                if (segment.largestTimestamp() < timestamp) {
                    continue;
                }
                TimestampOffset found = segment.findOffsetByTimestamp(timestamp, start);
                if (found != null && found.offset() < end) {
                    return Optional.of(found);
                }
            } catch (LogSegment.DeletedException e) {
                // Deleted by retention meanwhile: its records are gone, look further on.
            }
        }
        return Optional.empty();
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

    // ------------------------------------------------------------------------------ durability

    @Override
    public void flush() throws IOException {
        ensureOpen();
        flushUpTo(logEndOffset, false);
    }

    /**
     * Forces every segment below {@code upTo} (and the active one) to stable storage, then moves the
     * recovery point there unless a truncation happened meanwhile.
     *
     * @param checkpointNow whether to write the recovery-point checkpoint at once (after a roll)
     */
    private void flushUpTo(long upTo, boolean checkpointNow) throws IOException {
        List<LogSegment> dirty = new ArrayList<>();
        long truncationsBefore;
        synchronized (this) {
            if (closed || upTo <= recoveryPoint) {
                return;
            }
            truncationsBefore = truncations;
            for (LogSegment segment : segments.headMap(upTo, false).values()) {
                if (segment.isDirty() || segment == active) {
                    dirty.add(segment);
                }
            }
            unflushedRecords = 0;
            lastFlushMs = clock.millis();
        }
        for (LogSegment segment : dirty) {
            segment.flush();
        }
        synchronized (this) {
            if (closed || truncations != truncationsBefore || upTo <= recoveryPoint) {
                return;
            }
            recoveryPoint = upTo;
            if (checkpointNow || clock.millis() - lastCheckpointMs >= checkpointIntervalMs) {
                writeRecoveryPoint();
            }
        }
    }

    /** Checks {@code flush.ms} on the scheduler. Guarded by this. */
    private void scheduleFlushCheck() {
        if (flushTask != null) {
            flushTask.cancel(false);
            flushTask = null;
        }
        long flushMs = config.flushMs();
        if (flushMs == Long.MAX_VALUE || closed) {
            return;
        }
        long period = Math.max(10, Math.min(flushMs, 1000));
        try {
            flushTask = scheduler.scheduleWithFixedDelay(() -> {
                boolean due;
                synchronized (this) {
                    due = !closed && unflushedRecords > 0 && clock.millis() - lastFlushMs >= config.flushMs();
                }
                if (due) {
                    try {
                        flushUpTo(logEndOffset, false);
                    } catch (IOException | RuntimeException e) {
                        LOG.error("{}: scheduled flush failed", partition, e);
                    }
                }
            }, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: engine is stopping; no scheduled flush", partition);
        }
    }

    @Override
    public void close() throws IOException {
        if (cleaner != null) {
            cleaner.unregister(this, false); // aborts a cleaning of this log and waits for it
        }
        closeLocked();
    }

    private synchronized void closeLocked() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (flushTask != null) {
            flushTask.cancel(false);
        }
        IOException failure = null;
        for (LogSegment segment : segments.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                LOG.error("{}: closing {} failed", partition, segment, e);
            }
        }
        if (failure != null) {
            throw failure; // no clean-shutdown marker: the next open recovers
        }
        recoveryPoint = logEndOffset;
        writeRecoveryPoint();
        writeLogStart();
        writeEpochs();
        LogFiles.fsyncDirectory(dir);
        try (FileChannel marker = FileChannel.open(dir.resolve(LogFiles.CLEAN_SHUTDOWN), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            marker.force(true);
        }
        LogFiles.fsyncDirectory(dir);
        LOG.debug("{}: closed cleanly at offsets [{}, {})", partition, logStartOffset, logEndOffset);
    }

    @Override
    public void delete() throws IOException {
        if (cleaner != null) {
            cleaner.unregister(this, true);
        }
        deleteLocked();
    }

    private synchronized void deleteLocked() throws IOException {
        if (!closed) {
            closed = true;
            if (flushTask != null) {
                flushTask.cancel(false);
            }
            for (LogSegment segment : segments.values()) {
                segment.markDeleted();
            }
            segments.clear();
        }
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
        LOG.info("{}: deleted", partition);
    }

    // -------------------------------------------------------------------------------- cleaning

    /** The steps of {@link #replaceSegments}, after each of which a crash must leave a loadable log. */
    enum SwapStep {
        /** The cleaned files are written and forced; nothing renamed. */
        CLEANED_WRITTEN,
        /** The cleaned log file is {@code .swap}; its indexes are still {@code .cleaned}. */
        LOG_SWAP,
        /** Every cleaned file is {@code .swap}. */
        ALL_SWAP,
        /** The first replaced segment's files are {@code .deleted}, the others not yet. */
        FIRST_OLD_DELETED,
        /** Every replaced segment's files are {@code .deleted}. */
        ALL_OLD_DELETED,
        /** The cleaned log file has its final name; its indexes are still {@code .swap}. */
        LOG_FINAL,
        /** Every file has its final name; the in-memory segment map is not updated yet. */
        FILES_FINAL
    }

    /** What the cleaner plans a cleaning from, taken at one instant. */
    record CleanerView(List<LogSegment> segments, LogSegment active, long logStartOffset, long logEndOffset,
            long truncations, LogConfig config) {
    }

    synchronized CleanerView cleanerView() {
        ensureOpen();
        return new CleanerView(new ArrayList<>(segments.values()), active, logStartOffset, logEndOffset, truncations, config);
    }

    boolean isClosed() {
        return closed;
    }

    Path directory() {
        return dir;
    }

    /**
     * Replaces the consecutive, inactive segments {@code old} by the cleaned segment the cleaner
     * wrote as {@code <base>.log.cleaned} (+ {@code .index.cleaned}, {@code .timeindex.cleaned},
     * forced), where base is the first old segment's base offset. Kafka's order: cleaned files
     * become {@code .swap}, the old segments' files {@code .deleted}, then the {@code .swap} files
     * take their final names; {@link LogLoader} finishes an interrupted swap from any of these
     * states (see {@link SwapStep}). Readers never see a missing range: the new segment enters the
     * map before the old ones leave it, and the old files stay readable (renamed, not closed)
     * until then; regions read before stay valid until released. The old files are removed after
     * {@code file.delete.delay.ms}, as retention removes them.
     *
     * @param truncationsSeen the truncation count of the {@link CleanerView} the cleaning started from
     * @return false if the log changed meanwhile (closed, truncated, a segment deleted): nothing
     *     was renamed, the cleaned files are the caller's to remove
     */
    boolean replaceSegments(List<LogSegment> old, long truncationsSeen) throws IOException {
        List<Path> oldFiles = new ArrayList<>();
        synchronized (this) {
            if (closed || truncations != truncationsSeen) {
                return false;
            }
            for (LogSegment segment : old) {
                if (segments.get(segment.baseOffset()) != segment || segment == active) {
                    return false;
                }
            }
            long base = old.get(0).baseOffset();
            for (LogSegment segment : old) {
                segment.loadIndexes(); // readers keep using them after the files are renamed away
            }
            java.util.function.Consumer<SwapStep> hook = swapHook;
            hook.accept(SwapStep.CLEANED_WRITTEN);
            Path log = LogFiles.log(dir, base);
            List<Path> indexes = List.of(LogFiles.offsetIndex(dir, base), LogFiles.timeIndex(dir, base));
            LogFiles.rename(LogFiles.suffixed(log, LogFiles.CLEANED_SUFFIX), LogFiles.suffixed(log, LogFiles.SWAP_SUFFIX));
            hook.accept(SwapStep.LOG_SWAP);
            for (Path index : indexes) {
                LogFiles.rename(LogFiles.suffixed(index, LogFiles.CLEANED_SUFFIX), LogFiles.suffixed(index, LogFiles.SWAP_SUFFIX));
            }
            LogFiles.fsyncDirectory(dir);
            hook.accept(SwapStep.ALL_SWAP);
            FileChannel channel = FileChannel.open(LogFiles.suffixed(log, LogFiles.SWAP_SUFFIX), StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                for (int i = 0; i < old.size(); i++) {
                    oldFiles.addAll(old.get(i).renameToDeleted());
                    if (i == 0) {
                        hook.accept(SwapStep.FIRST_OLD_DELETED);
                    }
                }
                hook.accept(SwapStep.ALL_OLD_DELETED);
                LogFiles.rename(LogFiles.suffixed(log, LogFiles.SWAP_SUFFIX), log);
                hook.accept(SwapStep.LOG_FINAL);
                for (Path index : indexes) {
                    LogFiles.rename(LogFiles.suffixed(index, LogFiles.SWAP_SUFFIX), index);
                }
                LogFiles.fsyncDirectory(dir);
                hook.accept(SwapStep.FILES_FINAL);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            LogSegment cleaned = LogSegment.cleaned(dir, base, channel, config, clock.millis());
            // The new segment first, then the old ones out: a reader always finds every offset.
            segments.put(base, cleaned);
            for (LogSegment segment : old) {
                if (segment.baseOffset() != base) {
                    segments.remove(segment.baseOffset());
                }
            }
        }
        for (LogSegment segment : old) {
            segment.release();
        }
        scheduleRemoval(oldFiles, config.fileDeleteDelayMs());
        return true;
    }

    // ------------------------------------------------------------------------------- internals

    private void deleteLater(LogSegment segment, long delayMs) throws IOException {
        scheduleRemoval(segment.markDeleted(), delayMs);
    }

    private void scheduleRemoval(List<Path> files, long delayMs) {
        Runnable removal = () -> {
            for (Path file : files) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("{}: could not remove {}; the next open will", partition, file, e);
                }
            }
        };
        try {
            scheduler.schedule(removal, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            removal.run();
        }
    }

    private void runAsync(Runnable task) {
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("{}: background flush failed", partition, e);
                }
            });
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Guarded by this. */
    private void writeRecoveryPoint() throws IOException {
        LogLoader.OffsetCheckpoints.write(dir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT), partition, recoveryPoint);
        lastCheckpointMs = clock.millis();
    }

    /** Guarded by this. */
    private void writeLogStart() throws IOException {
        LogLoader.OffsetCheckpoints.write(dir.resolve(LogFiles.LOG_START_CHECKPOINT), partition, logStartOffset);
    }

    /** Guarded by this. */
    private void writeEpochs() throws IOException {
        new CheckpointFile(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT)).write(LogLoader.epochLines(epochs));
    }

    /** Number of segments (for tests and the shell). */
    int segmentCount() {
        return segments.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The log of " + partition + " is closed");
        }
    }

    @Override
    public String toString() {
        return "SegmentedLog(" + partition + ", " + dir + ")";
    }
}
