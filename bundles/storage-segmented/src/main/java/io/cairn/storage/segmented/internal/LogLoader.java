package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.EpochEntry;
import io.cairn.storage.spi.LeaderEpochHistory;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.TopicPartition;

/**
 * Opens a partition directory: after a clean close it reads nothing but file names, checkpoints and
 * the tail of the last segment; after a crash it recovers every segment from the one holding the
 * recovery point on (CRC-32C batch by batch, torn or corrupt tail cut off, indexes rebuilt, later
 * segments dropped), then forces what it recovered so that the recovery point can be the log end.
 *
 * <p>Not thread-safe: used once, by the thread opening the log.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /** What a loaded log starts from. */
    record Loaded(TreeMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset,
            LeaderEpochHistory epochs, boolean recovered, long checkpointedRecoveryPoint, long checkpointedLogStart) {
    }

    private final TopicPartition partition;
    private final Path dir;
    private final LogConfig config;
    private final long nowMs;

    LogLoader(TopicPartition partition, Path dir, LogConfig config, long nowMs) {
        this.partition = partition;
        this.dir = dir;
        this.config = config;
        this.nowMs = nowMs;
    }

    Loaded load() throws IOException {
        Files.createDirectories(dir);
        Path marker = dir.resolve(LogFiles.CLEAN_SHUTDOWN);
        boolean clean = Files.exists(marker);
        finishInterruptedSwaps();
        TreeSet<Long> bases = scanDirectory();
        long recoveryPoint = OffsetCheckpoints.read(dir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT), partition).orElse(-1L);
        long checkpointedStart = OffsetCheckpoints.read(dir.resolve(LogFiles.LOG_START_CHECKPOINT), partition).orElse(-1L);

        TreeMap<Long, LogSegment> segments = new TreeMap<>();
        for (long base : bases) {
            segments.put(base, LogSegment.load(dir, base, config, nowMs, base == bases.last()));
        }
        boolean recovered = false;
        long recoveredFrom = Long.MAX_VALUE;
        if (!segments.isEmpty() && clean && segments.lastEntry().getValue().readNextOffset() < 0) {
            LOG.warn("{}: the last segment's tail is not whole batches despite a clean shutdown; recovering", partition);
            clean = false;
        }
        if (!segments.isEmpty() && !clean) {
            recoveredFrom = recover(segments, Math.max(0, recoveryPoint));
            recovered = true;
        }
        if (segments.isEmpty()) {
            long start = Math.max(0, checkpointedStart);
            segments.put(start, LogSegment.create(dir, start, config, nowMs));
        }
        LogSegment last = segments.lastEntry().getValue();
        long logEnd = last.readNextOffset();
        if (logEnd < 0) {
            throw new IOException("Last segment of " + partition + " is unreadable after recovery");
        }
        long logStart = Math.max(checkpointedStart, segments.firstKey());
        if (logStart > logEnd) {
            // Unflushed data below a deleteRecords point was lost: start again at the log start.
            LOG.warn("{}: log start {} is beyond the recovered log end {}; starting empty at {}", partition, logStart, logEnd, logStart);
            for (LogSegment segment : segments.values()) {
                deleteNow(segment);
            }
            segments.clear();
            segments.put(logStart, LogSegment.create(dir, logStart, config, nowMs));
            logEnd = logStart;
        }
        LeaderEpochHistory epochs = loadEpochs(segments, logStart, logEnd, recoveredFrom);
        if (recovered) {
            for (LogSegment segment : segments.values()) {
                if (segment.isDirty()) {
                    segment.flush();
                }
            }
        }
        Files.deleteIfExists(marker);
        LogFiles.fsyncDirectory(dir);
        return new Loaded(segments, logStart, logEnd, epochs, recovered, recoveryPoint, checkpointedStart);
    }

    /**
     * Rolls back a cleaning that had not started its swap ({@code .cleaned} files are removed) and
     * finishes one that had ({@code .swap} files): a {@code <base>.log.swap} holds every retained
     * batch of the segments it replaces, so the segments whose base offset lies in
     * {@code [base, its next offset)} are deleted (whatever state their renaming to
     * {@code .deleted} reached) and the swap files take their final names. A {@code .swap} index
     * whose log already has its final name belongs to it (the log is renamed first).
     */
    private void finishInterruptedSwaps() throws IOException {
        List<Path> swapLogs = new ArrayList<>();
        List<Path> swapIndexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogFiles.CLEANED_SUFFIX)) {
                    LOG.info("{}: removing {} of an unfinished cleaning", partition, name);
                    Files.deleteIfExists(file);
                } else if (name.endsWith(LogFiles.SWAP_SUFFIX)) {
                    String target = name.substring(0, name.length() - LogFiles.SWAP_SUFFIX.length());
                    if (LogFiles.baseOffsetOf(target, LogFiles.LOG_SUFFIX) >= 0) {
                        swapLogs.add(file);
                    } else {
                        swapIndexes.add(file);
                    }
                }
            }
        }
        if (swapLogs.isEmpty() && swapIndexes.isEmpty()) {
            return;
        }
        for (Path swap : swapLogs) {
            String target = swap.getFileName().toString().substring(0, swap.getFileName().toString().length() - LogFiles.SWAP_SUFFIX.length());
            long base = LogFiles.baseOffsetOf(target, LogFiles.LOG_SUFFIX);
            long end = Math.max(base + 1, nextOffsetOf(swap, base));
            List<Long> replaced = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogFiles.LOG_SUFFIX)) {
                for (Path file : files) {
                    long other = LogFiles.baseOffsetOf(file.getFileName().toString(), LogFiles.LOG_SUFFIX);
                    if (other >= base && other < end) {
                        replaced.add(other);
                    }
                }
            }
            for (long other : replaced) {
                Files.deleteIfExists(LogFiles.log(dir, other));
                Files.deleteIfExists(LogFiles.offsetIndex(dir, other));
                Files.deleteIfExists(LogFiles.timeIndex(dir, other));
            }
            Files.deleteIfExists(LogFiles.offsetIndex(dir, base));
            Files.deleteIfExists(LogFiles.timeIndex(dir, base));
            for (Path index : List.of(LogFiles.offsetIndex(dir, base), LogFiles.timeIndex(dir, base))) {
                Path indexSwap = LogFiles.suffixed(index, LogFiles.SWAP_SUFFIX);
                if (Files.exists(indexSwap)) {
                    LogFiles.rename(indexSwap, index);
                    swapIndexes.remove(indexSwap);
                }
            }
            LogFiles.rename(swap, LogFiles.log(dir, base));
            LOG.info("{}: finished swapping in the cleaned segment {} (replacing segments {})", partition,
                    LogFiles.baseName(base), replaced);
        }
        for (Path indexSwap : swapIndexes) {
            String name = indexSwap.getFileName().toString();
            Path index = indexSwap.resolveSibling(name.substring(0, name.length() - LogFiles.SWAP_SUFFIX.length()));
            LogFiles.rename(indexSwap, index);
        }
        LogFiles.fsyncDirectory(dir);
    }

    /** The offset after the last well-formed batch of a segment file ({@code base} if none). */
    private static long nextOffsetOf(Path file, long base) throws IOException {
        long next = base;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            long size = channel.size();
            long position = 0;
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(BatchHeader.HEADER_SIZE);
            while (size - position >= BatchHeader.HEADER_SIZE) {
                header.clear();
                while (header.hasRemaining()) {
                    if (channel.read(header, position + header.position()) < 0) {
                        return next;
                    }
                }
                BatchHeader h = BatchHeader.read(header.flip(), 0);
                if (h.problem((int) Math.min(Integer.MAX_VALUE, size - position)) != null) {
                    break;
                }
                next = h.nextOffset();
                position += h.sizeInBytes();
            }
        }
        return next;
    }

    /** Segment base offsets; removes leftovers (.deleted, .tmp, indexes without a log). */
    private TreeSet<Long> scanDirectory() throws IOException {
        TreeSet<Long> bases = new TreeSet<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogFiles.DELETED_SUFFIX) || name.endsWith(LogFiles.TMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (LogFiles.baseOffsetOf(name, LogFiles.LOG_SUFFIX) >= 0) {
                    bases.add(LogFiles.baseOffsetOf(name, LogFiles.LOG_SUFFIX));
                } else if (name.endsWith(LogFiles.INDEX_SUFFIX) || name.endsWith(LogFiles.TIME_INDEX_SUFFIX)) {
                    indexes.add(file);
                }
            }
        }
        for (Path index : indexes) {
            String name = index.getFileName().toString();
            long base = Math.max(LogFiles.baseOffsetOf(name, LogFiles.INDEX_SUFFIX), LogFiles.baseOffsetOf(name, LogFiles.TIME_INDEX_SUFFIX));
            if (!bases.contains(base)) {
                LOG.info("{}: removing index {} that has no segment", partition, index);
                Files.deleteIfExists(index);
            }
        }
        return bases;
    }

    /**
     * Scans every segment from the one holding the recovery point; the first one whose tail had to
     * be cut ends the log: later segments come after a hole and are deleted.
     */
    /** @return the base offset of the first segment scanned */
    private long recover(TreeMap<Long, LogSegment> segments, long recoveryPoint) throws IOException {
        Long from = segments.floorKey(recoveryPoint);
        if (from == null) {
            from = segments.firstKey();
        }
        List<LogSegment> unflushed = new ArrayList<>(segments.tailMap(from, true).values());
        LOG.info("{}: unclean shutdown; recovering {} segment(s) from offset {}", partition, unflushed.size(), from);
        for (int i = 0; i < unflushed.size(); i++) {
            LogSegment segment = unflushed.get(i);
            int cut = segment.recover();
            if (cut > 0) {
                LOG.warn("{}: cut {} bytes of torn or corrupt batches off {}", partition, cut, segment);
                for (LogSegment later : unflushed.subList(i + 1, unflushed.size())) {
                    LOG.warn("{}: deleting {}, which follows the damage", partition, later);
                    segments.remove(later.baseOffset());
                    deleteNow(later);
                }
                break;
            }
        }
        // The last segment is the active one; an empty non-first segment left after a cut is fine.
        LogSegment last = segments.lastEntry().getValue();
        last.makeActive();
        return from;
    }

    /**
     * The leader-epoch history: the checkpoint, plus what the recovered batches say (an append may
     * have reached the log but not the checkpoint before the crash, as Kafka's recovery also
     * assumes), cut to the log's offsets.
     */
    private LeaderEpochHistory loadEpochs(TreeMap<Long, LogSegment> segments, long logStart, long logEnd,
            long recoveredFrom) throws IOException {
        CheckpointFile file = new CheckpointFile(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT));
        LeaderEpochHistory epochs = null;
        boolean rewrite = false;
        try {
            Optional<List<String>> lines = file.read();
            if (lines.isPresent()) {
                List<EpochEntry> entries = new ArrayList<>();
                for (String line : lines.get()) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length != 2) {
                        throw new IOException("Malformed leader epoch entry '" + line + "'");
                    }
                    entries.add(new EpochEntry(Integer.parseInt(fields[0]), Long.parseLong(fields[1])));
                }
                epochs = new LeaderEpochHistory(entries);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("{}: leader-epoch-checkpoint is corrupt ({}); rebuilding it from the batches", partition, e.getMessage());
        }
        if (epochs == null && logEnd > segments.firstKey()) {
            epochs = rebuildEpochs(segments);
            rewrite = true;
        } else if (epochs == null) {
            epochs = new LeaderEpochHistory();
        }
        if (recoveredFrom != Long.MAX_VALUE) {
            rewrite |= assignFromBatches(epochs, segments.tailMap(recoveredFrom, true).values());
        }
        // An epoch may start at the log end (a leader elected, nothing appended yet): keep it.
        rewrite |= epochs.truncateFromEnd(logEnd + 1);
        rewrite |= epochs.truncateFromStart(logStart);
        if (rewrite) {
            file.write(epochLines(epochs));
        }
        return epochs;
    }

    private static LeaderEpochHistory rebuildEpochs(TreeMap<Long, LogSegment> segments) throws IOException {
        LeaderEpochHistory epochs = new LeaderEpochHistory();
        assignFromBatches(epochs, segments.values());
        return epochs;
    }

    /** The append rule: a batch whose epoch is above the latest starts that epoch. */
    private static boolean assignFromBatches(LeaderEpochHistory epochs, Iterable<LogSegment> segments) throws IOException {
        boolean changed = false;
        for (LogSegment segment : segments) {
            for (BatchHeader header : segment.headers()) {
                OptionalInt latest = epochs.latestEpoch();
                int epoch = header.partitionLeaderEpoch();
                if (epoch >= 0 && (latest.isEmpty() || epoch > latest.getAsInt())) {
                    changed |= epochs.assign(epoch, header.baseOffset());
                }
            }
        }
        return changed;
    }

    static List<String> epochLines(LeaderEpochHistory epochs) {
        return epochs.entries().stream().map(e -> e.epoch() + " " + e.startOffset()).toList();
    }

    private static void deleteNow(LogSegment segment) throws IOException {
        for (Path file : segment.markDeleted()) {
            Files.deleteIfExists(file);
        }
    }

    /** Kafka's offset checkpoint entries, "topic partition offset", for this one partition. */
    static final class OffsetCheckpoints {

        private OffsetCheckpoints() {
        }

        static Optional<Long> read(Path path, TopicPartition partition) {
            try {
                Optional<List<String>> lines = new CheckpointFile(path).read();
                if (lines.isEmpty()) {
                    return Optional.empty();
                }
                for (String line : lines.get()) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length == 3 && fields[0].equals(partition.topic())
                            && Integer.parseInt(fields[1]) == partition.partition()) {
                        return Optional.of(Long.parseLong(fields[2]));
                    }
                }
                return Optional.empty();
            } catch (IOException | NumberFormatException e) {
                LOG.warn("{}: ignoring unreadable checkpoint {} ({})", partition, path, e.getMessage());
                return Optional.empty();
            }
        }

        static void write(Path path, TopicPartition partition, long offset) throws IOException {
            new CheckpointFile(path).write(List.of(partition.topic() + " " + partition.partition() + " " + offset));
        }
    }
}
