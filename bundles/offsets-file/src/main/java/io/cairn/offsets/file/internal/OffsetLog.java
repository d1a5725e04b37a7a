package io.cairn.offsets.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * Committed offsets on local disk: every change is appended to a write-ahead log
 * ({@value #LOG_FILE}) as one CRC-checked {@link OffsetRecord}; the latest value of every offset
 * also lives in memory, from which a compacted snapshot ({@value #SNAPSHOT_FILE}) is written on
 * open and whenever the log outgrows its threshold, after which the log starts empty.
 *
 * <h2>Durability</h2>
 * With {@code fsyncIntervalMs == 0} (the default) a write returns only after the log is
 * fsynced, so an acknowledged commit survives a crash of the process or the machine. Writers that
 * arrive while an fsync runs share the next one (group commit). With an interval, writes return
 * once in the page cache and a background fsync runs every interval: a process crash loses
 * nothing, a machine crash may lose the last interval's commits.
 *
 * <h2>Recovery</h2>
 * The snapshot is written to a temporary file, fsynced and atomically renamed, so it is whole or
 * absent; a snapshot that fails its checks is refused (the store does not start), because
 * silently serving older offsets would make consumers reprocess. The log is replayed record by
 * record and replay stops at the first record that is torn (shorter than its length) or fails its
 * CRC — everything before it was acknowledged and is kept, the tail is truncated. Replaying a log
 * over a snapshot that already contains it is harmless (commits set values, deletions remove
 * them), so a crash between writing a snapshot and emptying the log loses nothing.
 *
 * <p>A {@code .lock} file keeps a second store from opening the same directory.
 *
 * <p>Thread-safe: state and appends are guarded by {@code this}; fsyncs by {@code syncLock}
 * (taken before {@code this}, never after).
 */
final class OffsetLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetLog.class);

    static final String LOG_FILE = "offsets.log";
    static final String SNAPSHOT_FILE = "offsets.snapshot";
    private static final long SNAPSHOT_MAGIC = 0x434149524e4f4653L; // "CAIRNOFS"
    private static final int SNAPSHOT_VERSION = 1;

    private final Path dir;
    private final long compactBytes;
    private final Map<String, Map<PartitionKey, CommittedOffset>> groups = new HashMap<>();
    private final Object syncLock = new Object();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ScheduledExecutorService flusher;
    private FileChannel log;
    private long written;
    private long synced;
    private volatile IOException failed;
    private boolean closed;

    private OffsetLog(Path dir, long compactBytes, FileChannel lockChannel, FileLock lock, long fsyncIntervalMs) {
        this.dir = dir;
        this.compactBytes = compactBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        if (fsyncIntervalMs > 0) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cairn-offsets-file-flush");
                t.setDaemon(true);
                return t;
            });
            flusher.scheduleWithFixedDelay(this::backgroundSync, fsyncIntervalMs, fsyncIntervalMs, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    /**
     * Opens (or creates) the store in {@code dir}: loads the snapshot, replays the log up to its
     * first bad record, writes a new snapshot and starts an empty log.
     *
     * @param fsyncIntervalMs 0 to fsync every write before it returns; else the background fsync period
     * @param compactBytes log size at which a new snapshot is written
     * @throws IOException if the directory is locked by another store, or the snapshot is corrupt
     */
    static OffsetLog open(Path dir, long fsyncIntervalMs, long compactBytes) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException(dir + " is in use by another offset store");
        }
        OffsetLog store = new OffsetLog(dir, compactBytes, lockChannel, lock, fsyncIntervalMs);
        try {
            store.recover();
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        }
        return store;
    }

    private void recover() throws IOException {
        Path snapshot = dir.resolve(SNAPSHOT_FILE);
        int fromSnapshot = 0;
        if (Files.exists(snapshot)) {
            fromSnapshot = loadSnapshot(snapshot);
        }
        Path logFile = dir.resolve(LOG_FILE);
        int replayed = 0;
        if (Files.exists(logFile)) {
            replayed = replay(logFile);
        }
        log = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        synchronized (syncLock) {
            synchronized (this) {
                compact();
            }
        }
        LOG.info("File offset store in {}: {} groups ({} from the snapshot, {} log records replayed)", dir,
                groups.size(), fromSnapshot, replayed);
    }

    private int loadSnapshot(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 12 || b.getLong() != SNAPSHOT_MAGIC || b.getInt() != SNAPSHOT_VERSION) {
            throw new IOException(file + " is not a Cairn offset snapshot");
        }
        int n = 0;
        while (b.hasRemaining()) {
            OffsetRecord r = next(b);
            if (r == null) {
                throw new IOException(file + " is corrupt at byte " + b.position()
                        + " (it was written whole and renamed into place: the disk changed it)");
            }
            apply(r);
            n++;
        }
        return n;
    }

    /** Replays the log; truncates it at the first torn or corrupt record. */
    private int replay(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int n = 0;
        while (b.hasRemaining()) {
            int start = b.position();
            OffsetRecord r = next(b);
            if (r == null) {
                LOG.warn("Offset log {}: torn or corrupt record at byte {}; dropping the last {} bytes (never "
                        + "acknowledged, or damaged on disk)", file, start, b.limit() - start);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(start);
                    ch.force(true);
                }
                break;
            }
            apply(r);
            n++;
        }
        return n;
    }

    /** The next whole, valid record at {@code b}'s position, or {@code null} (position then undefined). */
    private static OffsetRecord next(ByteBuffer b) {
        if (b.remaining() < OffsetRecord.HEADER_BYTES) {
            return null;
        }
        int length = b.getInt();
        int crc = b.getInt();
        if (length <= 0 || length > OffsetRecord.MAX_RECORD_BYTES || length > b.remaining()) {
            return null;
        }
        if (OffsetRecord.crc(b, length) != crc) {
            return null;
        }
        ByteBuffer body = b.slice(b.position(), length);
        b.position(b.position() + length);
        try {
            return OffsetRecord.decode(body);
        } catch (IOException e) {
            return null;
        }
    }

    private void apply(OffsetRecord r) {
        switch (r.type()) {
            case COMMIT -> {
                Map<PartitionKey, CommittedOffset> g = groups.computeIfAbsent(r.groupId(), k -> new HashMap<>());
                r.offsets().forEach(o -> g.put(o.key(), o));
            }
            case DELETE_PARTITIONS -> {
                Map<PartitionKey, CommittedOffset> g = groups.get(r.groupId());
                if (g != null) {
                    r.partitions().forEach(g::remove);
                    if (g.isEmpty()) {
                        groups.remove(r.groupId());
                    }
                }
            }
            case DELETE_GROUP -> groups.remove(r.groupId());
        }
    }

    /** Appends a record and applies it; returns once it is as durable as the fsync policy says. */
    void write(OffsetRecord r) throws IOException {
        ByteBuffer b = r.encode();
        long end;
        synchronized (this) {
            check();
            try {
                while (b.hasRemaining()) {
                    log.write(b);
                }
            } catch (IOException e) {
                failed = e;
                throw e;
            }
            written += b.limit();
            end = written;
            apply(r);
        }
        if (flusher == null) {
            syncTo(end);
        }
        if (end >= compactBytes) {
            synchronized (syncLock) {
                synchronized (this) {
                    if (written >= compactBytes && !closed) {
                        compact();
                    }
                }
            }
        }
    }

    private void syncTo(long end) throws IOException {
        synchronized (syncLock) {
            if (synced >= end) {
                return; // someone else's fsync covered this write
            }
            long target;
            synchronized (this) {
                check();
                target = written;
            }
            try {
                log.force(false);
            } catch (IOException e) {
                failed = e;
                throw e;
            }
            synced = target;
        }
    }

    private void backgroundSync() {
        try {
            long end;
            synchronized (this) {
                if (closed) {
                    return;
                }
                end = written;
            }
            syncTo(end);
        } catch (IOException e) {
            LOG.error("Offset log {}: fsync failed; the store refuses further writes", dir, e);
        }
    }

    /** Writes the snapshot from memory and empties the log. Holds syncLock and this. */
    private void compact() throws IOException {
        Path snapshot = dir.resolve(SNAPSHOT_FILE);
        Path tmp = dir.resolve(SNAPSHOT_FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(12).putLong(SNAPSHOT_MAGIC).putInt(SNAPSHOT_VERSION).flip();
            writeFully(ch, header);
            for (Map.Entry<String, Map<PartitionKey, CommittedOffset>> g : groups.entrySet()) {
                writeFully(ch, OffsetRecord.commit(g.getKey(), new ArrayList<>(g.getValue().values())).encode());
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
        // Only now may the log go: the snapshot holds everything it said.
        log.truncate(0);
        log.position(0);
        log.force(true);
        written = 0;
        synced = 0;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename durable on Linux; other platforms may not open directories.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    private void check() throws IOException {
        if (closed) {
            throw new IOException("offset store in " + dir + " is closed");
        }
        if (failed != null) {
            throw new IOException("offset store in " + dir + " failed earlier: " + failed.getMessage(), failed);
        }
    }

    synchronized List<CommittedOffset> fetch(String groupId) throws IOException {
        check();
        return new ArrayList<>(groups.getOrDefault(groupId, Map.of()).values());
    }

    synchronized Set<String> groups() throws IOException {
        check();
        return new TreeSet<>(groups.keySet());
    }

    synchronized boolean has(String groupId, Collection<PartitionKey> partitions) {
        Map<PartitionKey, CommittedOffset> g = groups.get(groupId);
        return g != null && partitions.stream().anyMatch(g::containsKey);
    }

    synchronized boolean has(String groupId) {
        return groups.containsKey(groupId);
    }

    /** Size of the log in bytes (for tests). */
    synchronized long logBytes() {
        return written;
    }

    /** Flushes, writes a final snapshot and releases the directory. */
    @Override
    public void close() throws IOException {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        synchronized (syncLock) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                try {
                    if (failed == null) {
                        log.force(true);
                        compact();
                    }
                } finally {
                    closed = true;
                    log.close();
                    lock.release();
                    lockChannel.close();
                }
            }
        }
    }

    /** Drops the files without flushing or snapshotting, as a killed process would (tests, failed opens). */
    void abandon() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        synchronized (this) {
            closed = true;
            try {
                if (log != null) {
                    log.close();
                }
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.debug("Closing abandoned offset log {}", dir, e);
            }
        }
    }
}
