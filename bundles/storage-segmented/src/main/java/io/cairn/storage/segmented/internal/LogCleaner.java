package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.storage.spi.BatchHeader;

/**
 * Kafka's log cleaner for the segmented engine: {@code log.cleaner.threads} threads that each pick
 * the dirtiest compacted log ({@code cleanup.policy} containing {@code compact}), clean it with a
 * {@link Cleaner}, and wait {@code log.cleaner.backoff.ms} when no log needs cleaning.
 *
 * <p>Choosing a log (Kafka's {@code LogCleanerManager.grabFilthiestCompactedLog}): the dirty
 * section runs from the log's {@code cleaner-offset-checkpoint} entry (the log start when there is
 * none) to the first uncleanable offset — the active segment's base offset, or earlier the first
 * segment holding a record newer than {@code min.compaction.lag.ms}. A log is cleanable when its
 * dirty ratio (dirty bytes over clean plus dirty bytes) exceeds {@code min.cleanable.dirty.ratio},
 * or when its oldest dirty record is older than {@code max.compaction.lag.ms}; the highest ratio
 * goes first. When none is, a log whose earliest tombstone delete horizon has passed is cleaned to
 * remove those tombstones.
 *
 * <p>The log's writer never waits for the cleaner: cleaning reads inactive segments without a
 * lock and takes the log's lock only to swap segments ({@link SegmentedLog#replaceSegments}), which
 * refuses if the log was truncated or a replaced segment deleted meanwhile. Closing or deleting a
 * log aborts its cleaning and waits for it to stop.
 *
 * <p>Thread-safe. Lock order: a log's lock may be held when calling {@link #truncated}; this
 * object's lock is never held while calling into a log.
 */
final class LogCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    /** What the cleaner knows about one registered log. Guarded by the cleaner. */
    private static final class LogState {
        Long firstDirty;
        boolean inProgress;
        volatile boolean abort;
        boolean failed;
        /** The earliest delete horizon of a kept tombstone; null = not known yet (scan on first look). */
        Long minDeleteHorizon;
    }

    /** A candidate for cleaning, assessed at one instant. */
    record LogToClean(SegmentedLog log, long firstDirty, long firstUncleanable, long cleanBytes, long dirtyBytes,
            boolean compactNow, long minDeleteHorizon) {

        double ratio() {
            long total = cleanBytes + dirtyBytes;
            return total == 0 ? 0 : (double) dirtyBytes / total;
        }
    }

    private final CleanerConfig config;
    private final Clock clock;
    private final CleanerCheckpoints checkpoints = new CleanerCheckpoints();
    private final Map<SegmentedLog, LogState> logs = new IdentityHashMap<>();
    private final Object idle = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean stopped;

    LogCleaner(CleanerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    CleanerConfig config() {
        return config;
    }

    /** Starts the cleaner threads (if {@code log.cleaner.enable}). */
    synchronized void start() {
        if (!config.enabled() || running) {
            return;
        }
        running = true;
        for (int i = 0; i < config.threads(); i++) {
            Thread thread = new Thread(this::run, "cairn-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.debug("Log cleaner started with {} thread(s)", config.threads());
    }

    /** Stops the threads: cleanings in progress are aborted (their files rolled back), nothing is interrupted. */
    void shutdown() throws InterruptedException {
        List<Thread> toJoin;
        synchronized (this) {
            running = false;
            stopped = true;
            logs.values().forEach(state -> state.abort = true);
            toJoin = new ArrayList<>(threads);
            threads.clear();
        }
        synchronized (idle) {
            idle.notifyAll();
        }
        for (Thread thread : toJoin) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void run() {
        while (running) {
            boolean cleaned = false;
            try {
                cleaned = cleanFilthiestLog().isPresent();
            } catch (RuntimeException e) {
                LOG.error("Log cleaner: unexpected failure", e);
            }
            if (!cleaned && running) {
                synchronized (idle) {
                    try {
                        idle.wait(config.backoffMs());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    // --------------------------------------------------------------------------- registration

    void register(SegmentedLog log) {
        Optional<Long> checkpoint = checkpoints.read(log.directory(), log.topicPartition());
        synchronized (this) {
            LogState state = new LogState();
            state.firstDirty = checkpoint.orElse(null);
            logs.put(log, state);
        }
    }

    /** Aborts a cleaning of {@code log} in progress, waits for it to stop, and forgets the log. */
    void unregister(SegmentedLog log, boolean deleted) throws IOException {
        synchronized (this) {
            LogState state = logs.get(log);
            if (state != null) {
                state.abort = true;
                boolean interrupted = false;
                while (state.inProgress) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                logs.remove(log);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (deleted) {
            checkpoints.remove(log.directory(), log.topicPartition());
        }
    }

    /** The log was truncated to {@code offset}: a dirty section start above it moves down to it. */
    void truncated(SegmentedLog log, long offset) {
        synchronized (this) {
            LogState state = logs.get(log);
            if (state != null && state.firstDirty != null && state.firstDirty > offset) {
                state.firstDirty = offset;
            }
        }
        try {
            checkpoints.lowerTo(log.directory(), log.topicPartition(), offset);
        } catch (IOException e) {
            LOG.warn("{}: could not lower the cleaner checkpoint to {}", log.topicPartition(), offset, e);
        }
    }

    // ------------------------------------------------------------------------------- cleaning

    /**
     * Picks the log most in need of cleaning and cleans it, on the calling thread.
     *
     * @return what was done, or empty if no log needed cleaning
     */
    Optional<Cleaner.Result> cleanFilthiestLog() {
        long now = clock.millis();
        List<Map.Entry<SegmentedLog, LogState>> candidates;
        synchronized (this) {
            candidates = new ArrayList<>();
            for (Map.Entry<SegmentedLog, LogState> entry : logs.entrySet()) {
                if (!entry.getValue().inProgress && !entry.getValue().failed) {
                    candidates.add(Map.entry(entry.getKey(), entry.getValue()));
                }
            }
        }
        LogToClean best = null;
        LogToClean tombstonesDue = null;
        for (Map.Entry<SegmentedLog, LogState> candidate : candidates) {
            LogToClean ltc;
            try {
                ltc = assess(candidate.getKey(), candidate.getValue(), now);
            } catch (IllegalStateException | IOException e) {
                continue; // closed meanwhile, or a segment deleted under us: look again next round
            }
            if (ltc == null) {
                continue;
            }
            CleanerConfig.Topic topic = config.forTopic(candidate.getKey().config());
            boolean cleanable = ltc.dirtyBytes() > 0 && (ltc.compactNow() || ltc.ratio() > topic.minCleanableRatio());
            if (cleanable && (best == null || ltc.ratio() > best.ratio())) {
                best = ltc;
            } else if (!cleanable && ltc.minDeleteHorizon() <= now
                    && (tombstonesDue == null || ltc.minDeleteHorizon() < tombstonesDue.minDeleteHorizon())) {
                tombstonesDue = ltc;
            }
        }
        LogToClean chosen = best != null ? best : tombstonesDue;
        if (chosen == null) {
            return Optional.empty();
        }
        LogState state;
        synchronized (this) {
            state = logs.get(chosen.log());
            if (state == null || state.inProgress || stopped) {
                return Optional.empty();
            }
            state.inProgress = true;
            state.abort = false;
        }
        try {
            return clean(chosen, state, now);
        } finally {
            synchronized (this) {
                state.inProgress = false;
                notifyAll();
            }
        }
    }

    private Optional<Cleaner.Result> clean(LogToClean ltc, LogState state, long now) {
        SegmentedLog log = ltc.log();
        long mapBudget = config.dedupeBufferBytes() / config.threads();
        Cleaner cleaner = new Cleaner(log, config, mapBudget, () -> state.abort || log.isClosed());
        Cleaner.Result result;
        try {
            result = cleaner.clean(ltc.firstDirty(), ltc.firstUncleanable(), now);
        } catch (Cleaner.AbortedException e) {
            LOG.debug("{}: cleaning aborted (the log was closed, truncated or had segments deleted)", log.topicPartition());
            return Optional.empty();
        } catch (LogSegment.DeletedException e) {
            LOG.debug("{}: a segment was deleted during cleaning; trying again later", log.topicPartition());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (log.isClosed()) {
                return Optional.empty();
            }
            LOG.error("{}: cleaning failed; the log is no longer cleaned until it is reopened", log.topicPartition(), e);
            synchronized (this) {
                state.failed = true;
            }
            return Optional.empty();
        }
        synchronized (this) {
            state.firstDirty = result.mapEnd();
            state.minDeleteHorizon = result.minDeleteHorizon();
        }
        try {
            checkpoints.write(log.directory(), log.topicPartition(), result.mapEnd());
        } catch (IOException e) {
            LOG.warn("{}: could not write the cleaner checkpoint; the next start cleans from further back",
                    log.topicPartition(), e);
        }
        double seconds = Math.max(result.durationNanos(), 1) / 1e9;
        LOG.info("Cleaned {} (dirty section [{}, {})): {} segment(s) → {}, {} → {} bytes ({}% smaller), "
                + "{} → {} records, {} keys in the map, {} MB of log in {} s ({} MB/s)",
                log.topicPartition(), result.firstDirty(), result.mapEnd(), result.segmentsBefore(), result.segmentsAfter(),
                result.bytesBefore(), result.bytesAfter(),
                result.bytesBefore() == 0 ? 0 : String.format("%.1f", 100.0 * (result.bytesBefore() - result.bytesAfter()) / result.bytesBefore()),
                result.recordsBefore(), result.recordsAfter(), result.keys(),
                String.format("%.1f", result.bytesBefore() / 1e6), String.format("%.3f", seconds),
                String.format("%.1f", result.bytesBefore() / 1e6 / seconds));
        return Optional.of(result);
    }

    /** The dirty section and sizes of a compacted log, or null if the log is not compacted. */
    private LogToClean assess(SegmentedLog log, LogState state, long now) throws IOException {
        if (!CleanerConfig.compacted(log.config())) {
            return null; // without taking the log's lock
        }
        SegmentedLog.CleanerView view = log.cleanerView();
        CleanerConfig.Topic topic = config.forTopic(view.config());
        if (!topic.compact()) {
            return null;
        }
        Long checkpoint;
        synchronized (this) {
            checkpoint = state.firstDirty;
        }
        long firstDirty = checkpoint == null ? view.logStartOffset() : checkpoint;
        if (firstDirty < view.logStartOffset() || firstDirty > view.logEndOffset()) {
            firstDirty = view.logStartOffset();
        }
        List<LogSegment> all = view.segments();
        long firstUncleanable = view.active().baseOffset();
        long cleanBytes = 0;
        long dirtyBytes = 0;
        boolean compactNow = false;
        boolean firstDirtySegment = true;
        for (int i = 0; i < all.size(); i++) {
            LogSegment segment = all.get(i);
            if (segment == view.active()) {
                break;
            }
            long upper = i + 1 < all.size() ? all.get(i + 1).baseOffset() : view.logEndOffset();
            if (upper <= firstDirty) {
                cleanBytes += segment.size();
                continue;
            }
            if (topic.minCompactionLagMs() > 0 && segment.largestTimestamp() > now - topic.minCompactionLagMs()) {
                firstUncleanable = Math.min(firstUncleanable, segment.baseOffset());
                break;
            }
            if (firstDirtySegment && topic.maxCompactionLagMs() < Long.MAX_VALUE) {
                long first = segment.firstBatchTimestamp();
                compactNow = first >= 0 && now - first > topic.maxCompactionLagMs();
            }
            firstDirtySegment = false;
            dirtyBytes += segment.size();
        }
        firstUncleanable = Math.max(firstUncleanable, firstDirty);
        Long horizon;
        synchronized (this) {
            horizon = state.minDeleteHorizon;
        }
        if (horizon == null) {
            horizon = earliestDeleteHorizon(all, view.active(), firstDirty);
            synchronized (this) {
                state.minDeleteHorizon = horizon;
            }
        }
        return new LogToClean(log, firstDirty, firstUncleanable, cleanBytes, dirtyBytes, compactNow, horizon);
    }

    /** After a restart: the earliest delete horizon among the batches of the clean section. */
    private static long earliestDeleteHorizon(List<LogSegment> all, LogSegment active, long firstDirty) throws IOException {
        long min = Long.MAX_VALUE;
        for (LogSegment segment : all) {
            if (segment == active || segment.baseOffset() >= firstDirty) {
                break;
            }
            for (BatchHeader header : segment.headers()) {
                if (BatchRecords.hasDeleteHorizon(header)) {
                    min = Math.min(min, header.baseTimestamp());
                }
            }
        }
        return min;
    }
}
