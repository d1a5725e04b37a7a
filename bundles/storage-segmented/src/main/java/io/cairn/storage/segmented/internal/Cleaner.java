package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.cairn.storage.spi.BatchHeader;

/**
 * Cleans one log once, as Kafka's {@code Cleaner.doClean}: builds key → latest offset over the
 * dirty section, then rewrites every segment from the log start up to the end of that map, keeping
 * for each key only its latest record, and swaps the rewritten segments in.
 *
 * <p>What a record needs to survive (Kafka's {@code shouldRetainRecord}): a key (keyless records
 * are dropped — the broker refuses them on compacted topics anyway), no later offset for its key in
 * the map, and, for a tombstone (null value), a delete horizon not yet passed. A batch that
 * keeps a tombstone and has no delete horizon gets one: {@code now + delete.retention.ms}, stored
 * as Kafka 3.1+ stores it (attribute bit 6, base timestamp = the horizon), so tombstones stay for
 * {@code delete.retention.ms} after the cleaning that first saw them and go with the first
 * cleaning after that. Control batches are copied untouched (Cairn has no transactions yet). A
 * batch left without records is dropped, except the last batch of a producer id not older than
 * {@code producer.id.expiration.ms}, which stays as an empty batch (header only) so that the
 * producer's sequence and epoch are still in the log.
 * Offsets do not change: a rewritten batch keeps its base offset and last offset delta, so the log
 * has gaps where records went.
 *
 * <p>Not thread-safe: one instance per cleaning.
 */
final class Cleaner {

    /** Rough heap bytes per map entry beyond the key: HashMap node, ByteBuffer, array and Long headers. */
    private static final int MAP_ENTRY_OVERHEAD = 112;

    /** What a cleaning did. */
    record Result(long firstDirty, long mapEnd, int segmentsBefore, int segmentsAfter, long bytesBefore, long bytesAfter,
            long recordsBefore, long recordsAfter, int keys, long minDeleteHorizon, long durationNanos, boolean aborted) {
    }

    private final SegmentedLog log;
    private final CleanerConfig config;
    private final long mapBudgetBytes;
    private final BooleanSupplier aborted;

    private final Map<ByteBuffer, Long> latest = new HashMap<>();
    private final Map<Long, Long> lastBatchOfProducer = new HashMap<>();
    private long minDeleteHorizon = Long.MAX_VALUE;
    private long recordsBefore;
    private long recordsAfter;

    Cleaner(SegmentedLog log, CleanerConfig config, long mapBudgetBytes, BooleanSupplier aborted) {
        this.log = log;
        this.config = config;
        this.mapBudgetBytes = mapBudgetBytes;
        this.aborted = aborted;
    }

    /** Signals that the log went away or changed under the cleaning. */
    static final class AbortedException extends IOException {
        private static final long serialVersionUID = 1L;

        AbortedException() {
            super("cleaning aborted", null);
        }
    }

    /**
     * Cleans the log with the dirty section {@code [firstDirty, firstUncleanable)}.
     *
     * @param nowMs the cleaner's clock: delete horizons are set from it and compared with it
     */
    Result clean(long firstDirty, long firstUncleanable, long nowMs) throws IOException {
        long started = System.nanoTime();
        SegmentedLog.CleanerView view = log.cleanerView();
        CleanerConfig.Topic topic = config.forTopic(view.config());
        List<LogSegment> all = view.segments();

        long mapEnd = buildOffsetMap(view, firstDirty, firstUncleanable);
        for (LogSegment segment : all) {
            for (BatchHeader header : segment.headers()) {
                if (header.producerId() >= 0) {
                    lastBatchOfProducer.put(header.producerId(), header.lastOffset());
                }
            }
        }
        List<LogSegment> cleanable = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            LogSegment segment = all.get(i);
            if (segment == view.active() || upperBound(all, i, view.logEndOffset()) > mapEnd) {
                break;
            }
            cleanable.add(segment);
        }
        long bytesBefore = 0;
        long bytesAfter = 0;
        int segmentsAfter = 0;
        for (List<LogSegment> group : groupBySize(cleanable, all, view)) {
            GroupOutcome outcome = cleanGroup(group, view, topic, nowMs);
            bytesBefore += outcome.bytesBefore;
            bytesAfter += outcome.bytesAfter;
            segmentsAfter++;
        }
        return new Result(firstDirty, mapEnd, cleanable.size(), segmentsAfter, bytesBefore, bytesAfter, recordsBefore,
                recordsAfter, latest.size(), minDeleteHorizon, System.nanoTime() - started, false);
    }

    private static long upperBound(List<LogSegment> all, int i, long logEnd) {
        return i + 1 < all.size() ? all.get(i + 1).baseOffset() : logEnd;
    }

    /**
     * Key → latest offset over the dirty segments, segment by segment, until the map outgrows its
     * budget (then the dirty section this cleaning handles ends at the last whole segment read).
     *
     * @return the offset the map covers up to (exclusive): where the next dirty section starts
     */
    private long buildOffsetMap(SegmentedLog.CleanerView view, long firstDirty, long firstUncleanable) throws IOException {
        List<LogSegment> all = view.segments();
        long mapEnd = firstDirty;
        long mapBytes = 0;
        for (int i = 0; i < all.size(); i++) {
            LogSegment segment = all.get(i);
            long upper = upperBound(all, i, view.logEndOffset());
            if (segment == view.active() || segment.baseOffset() >= firstUncleanable) {
                break;
            }
            if (upper <= firstDirty) {
                continue;
            }
            if (mapBytes > mapBudgetBytes) {
                break;
            }
            long[] added = {0};
            segment.forEachBatch(config.ioBufferBytes(), (header, batch) -> {
                checkAborted();
                if (header.isControl()) {
                    return true;
                }
                BatchRecords records = BatchRecords.decode(batch);
                for (BatchRecords.Record record : records.records()) {
                    if (record.hasKey() && record.offset() >= firstDirty) {
                        ByteBuffer key = records.key(record);
                        byte[] copy = new byte[key.remaining()];
                        key.get(copy);
                        if (latest.put(ByteBuffer.wrap(copy), record.offset()) == null) {
                            added[0] += copy.length + MAP_ENTRY_OVERHEAD;
                        }
                    }
                }
                return true;
            });
            mapBytes += added[0];
            mapEnd = upper;
        }
        return mapEnd;
    }

    /** Consecutive segments whose sizes add up to at most {@code segment.bytes}, offsets within 2^31 of the first. */
    private static List<List<LogSegment>> groupBySize(List<LogSegment> cleanable, List<LogSegment> all,
            SegmentedLog.CleanerView view) {
        List<List<LogSegment>> groups = new ArrayList<>();
        int maxBytes = view.config().segmentBytes();
        int i = 0;
        while (i < cleanable.size()) {
            List<LogSegment> group = new ArrayList<>();
            LogSegment first = cleanable.get(i);
            group.add(first);
            long bytes = first.size();
            i++;
            while (i < cleanable.size()) {
                LogSegment next = cleanable.get(i);
                long nextUpper = upperBound(all, all.indexOf(next), view.logEndOffset());
                if (bytes + next.size() > maxBytes || nextUpper - 1 - first.baseOffset() > Integer.MAX_VALUE) {
                    break;
                }
                group.add(next);
                bytes += next.size();
                i++;
            }
            groups.add(group);
        }
        return groups;
    }

    private record GroupOutcome(long bytesBefore, long bytesAfter) {
    }

    private GroupOutcome cleanGroup(List<LogSegment> group, SegmentedLog.CleanerView view, CleanerConfig.Topic topic,
            long nowMs) throws IOException {
        long base = group.get(0).baseOffset();
        long bytesBefore = 0;
        boolean[] changed = {group.size() > 1};
        CleanedSegmentWriter writer = new CleanedSegmentWriter(log.directory(), base, view.config());
        try {
            for (LogSegment segment : group) {
                bytesBefore += segment.size();
                segment.forEachBatch(config.ioBufferBytes(), (header, batch) -> {
                    checkAborted();
                    ByteBuffer kept = cleanBatch(header, batch, topic, nowMs);
                    if (kept != batch) {
                        changed[0] = true;
                    }
                    if (kept != null) {
                        writer.append(kept);
                    }
                    return true;
                });
            }
            if (!changed[0]) {
                writer.discard(); // nothing to drop here: keep the segment as it is
                return new GroupOutcome(bytesBefore, bytesBefore);
            }
            long bytesAfter = writer.size();
            writer.finish();
            checkAborted();
            if (!log.replaceSegments(group, view.truncations())) {
                writer.discard();
                throw new AbortedException();
            }
            return new GroupOutcome(bytesBefore, bytesAfter);
        } catch (IOException e) {
            writer.discard();
            throw e;
        } catch (RuntimeException e) {
            writer.close(); // a bug, or a test's simulated crash: the next open removes what is left
            throw e;
        }
    }

    /**
     * The batch as it should be in the cleaned segment: {@code batch} itself if it keeps every
     * record as it is, a rebuilt batch, an empty batch (the last batch of a producer), or null.
     */
    private ByteBuffer cleanBatch(BatchHeader header, ByteBuffer batch, CleanerConfig.Topic topic, long nowMs)
            throws IOException {
        if (header.isControl()) {
            return batch;
        }
        BatchRecords records = BatchRecords.decode(batch);
        boolean hasHorizon = BatchRecords.hasDeleteHorizon(header);
        boolean retainDeletes = !hasHorizon || nowMs < header.baseTimestamp();
        List<BatchRecords.Record> retained = new ArrayList<>(records.records().size());
        boolean tombstoneKept = false;
        for (BatchRecords.Record record : records.records()) {
            recordsBefore++;
            if (!record.hasKey()) {
                continue;
            }
            Long newest = latest.get(records.key(record));
            boolean redundant = newest != null && record.offset() < newest;
            boolean obsoleteDelete = !record.hasValue() && !retainDeletes;
            if (!redundant && !obsoleteDelete) {
                retained.add(record);
                tombstoneKept |= !record.hasValue();
            }
        }
        recordsAfter += retained.size();
        boolean needHorizon = tombstoneKept && !hasHorizon;
        long horizon = needHorizon ? saturatedAdd(nowMs, topic.deleteRetentionMs()) : hasHorizon ? header.baseTimestamp() : -1;
        if (tombstoneKept) {
            minDeleteHorizon = Math.min(minDeleteHorizon, horizon);
        }
        if (retained.size() == records.records().size() && !needHorizon) {
            return batch;
        }
        if (retained.isEmpty()) {
            Long last = header.producerId() >= 0 ? lastBatchOfProducer.get(header.producerId()) : null;
            // Kafka keeps it while the producer's state is alive (producer.id.expiration.ms).
            boolean live = last != null && last == header.lastOffset()
                    && nowMs - header.maxTimestamp() < config.producerIdExpirationMs();
            return live ? BatchRecords.emptyBatch(header) : null;
        }
        return records.rebuild(retained, horizon);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private void checkAborted() throws AbortedException {
        if (aborted.getAsBoolean()) {
            throw new AbortedException();
        }
    }
}
