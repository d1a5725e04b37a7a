package io.cairn.offsets.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The file store killed (its files dropped without a flush or a snapshot, as kill -9 leaves them)
 * and reopened, with its log cut short or damaged in between: every commit acknowledged before the
 * damage comes back, nothing after a bad record is invented.
 */
class FileOffsetStoreCrashTest {

    @TempDir
    Path tmp;

    private FileOffsetStore store;

    private Path dir() {
        return tmp.resolve("offsets");
    }

    private FileOffsetStore open(Map<String, Object> extra) throws IOException {
        Map<String, Object> config = new HashMap<>(extra);
        config.put("cairn.offsets.file.dir", dir().toString());
        store = new FileOffsetStore(config);
        return store;
    }

    private FileOffsetStore open() throws IOException {
        return open(Map.of());
    }

    private void kill() {
        store.log().abandon();
        store = null;
    }

    @AfterEach
    void close() throws IOException {
        if (store != null) {
            store.deactivate();
        }
    }

    private static CommittedOffset offset(String topic, int partition, long offset) {
        return new CommittedOffset(topic, partition, offset, 1, "m" + offset, 1_000 + offset);
    }

    private long offsetOf(String group, String topic, int partition) throws IOException {
        return store.fetch(group).stream().filter(o -> o.key().equals(new PartitionKey(topic, partition)))
                .mapToLong(CommittedOffset::offset).findFirst().orElse(-1);
    }

    /** Byte positions where the log's records start, found by their length fields. */
    private List<Long> recordStarts() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir().resolve(OffsetLog.LOG_FILE)));
        List<Long> starts = new ArrayList<>();
        while (b.remaining() >= 8) {
            starts.add((long) b.position());
            int len = b.getInt();
            b.position(b.position() + 4 + len);
        }
        return starts;
    }

    private void flipByteAt(long position) throws IOException {
        try (FileChannel ch = FileChannel.open(dir().resolve(OffsetLog.LOG_FILE), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            ch.write(one, position);
        }
    }

    @Test
    void everyAcknowledgedCommitSurvivesAKill() throws IOException {
        open();
        for (int i = 1; i <= 300; i++) {
            store.commit("g" + (i % 7), List.of(offset("t", i % 3, i)));
        }
        store.delete("g0", List.of(new PartitionKey("t", 0)));
        kill();
        assertTrue(Files.size(dir().resolve(OffsetLog.LOG_FILE)) > 0, "the commits are in the log, not a snapshot");

        open();
        for (int g = 0; g < 7; g++) {
            for (int p = 0; p < 3; p++) {
                long expected = -1;
                for (int i = 1; i <= 300; i++) {
                    if (i % 7 == g && i % 3 == p) {
                        expected = i;
                    }
                }
                if (g == 0 && p == 0) {
                    expected = -1;
                }
                assertEquals(expected, offsetOf("g" + g, "t", p), "g" + g + " t-" + p);
            }
        }
        CommittedOffset back = store.fetch("g1").stream().filter(o -> o.partition() == 1).findFirst().orElseThrow();
        assertEquals(offset("t", 1, back.offset()), back, "epoch, metadata and commit time come back too");
    }

    @Test
    void aTornLastRecordIsCutOffAndTheStoreGoesOn() throws IOException {
        open();
        store.commit("g", List.of(offset("t", 0, 10)));
        store.commit("g", List.of(offset("t", 0, 20)));
        kill();
        Path logFile = dir().resolve(OffsetLog.LOG_FILE);
        long size = Files.size(logFile);
        try (FileChannel ch = FileChannel.open(logFile, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // the crash tore the last append
        }
        open();
        assertEquals(10, offsetOf("g", "t", 0), "the torn commit was never acknowledged; the one before is there");
        store.commit("g", List.of(offset("t", 0, 30)));
        kill();
        open();
        assertEquals(30, offsetOf("g", "t", 0), "appends after the cut are read back");
    }

    @Test
    void aCorruptedLastRecordIsDropped() throws IOException {
        open();
        store.commit("g", List.of(offset("t", 0, 10)));
        store.commit("g", List.of(offset("t", 0, 20), offset("u", 0, 5)));
        kill();
        List<Long> starts = recordStarts();
        flipByteAt(starts.get(1) + 12);
        open();
        assertEquals(10, offsetOf("g", "t", 0));
        assertEquals(-1, offsetOf("g", "u", 0), "a record is all or nothing");
    }

    @Test
    void recoveryStopsAtTheFirstBadRecordAndKeepsEverythingBefore() throws IOException {
        open();
        for (int i = 1; i <= 5; i++) {
            store.commit("g" + i, List.of(offset("t", 0, i)));
        }
        kill();
        flipByteAt(recordStarts().get(3) + 9);
        open();
        assertEquals(List.of(1L, 2L, 3L, -1L, -1L), List.of(offsetOf("g1", "t", 0), offsetOf("g2", "t", 0),
                offsetOf("g3", "t", 0), offsetOf("g4", "t", 0), offsetOf("g5", "t", 0)));
    }

    @Test
    void aSnapshotIsWrittenWhenTheLogGrowsAndOnOpen() throws IOException {
        open(Map.of("cairn.offsets.file.compact.bytes", "2048"));
        for (int i = 1; i <= 500; i++) {
            store.commit("g", List.of(offset("t", i % 10, i)));
        }
        assertTrue(store.log().logBytes() < 2048 + 200, "the log is compacted into the snapshot as it grows");
        kill();
        open();
        for (int p = 0; p < 10; p++) {
            assertEquals(490 + (p == 0 ? 10 : p), offsetOf("g", "t", p));
        }
        assertEquals(0, Files.size(dir().resolve(OffsetLog.LOG_FILE)), "opening writes a snapshot and starts a new log");
    }

    @Test
    void aDamagedSnapshotIsRefusedRatherThanServedPartly() throws IOException {
        open();
        store.commit("g", List.of(offset("t", 0, 1)));
        store.deactivate();
        store = null;
        Path snapshot = dir().resolve(OffsetLog.SNAPSHOT_FILE);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length - 2] ^= 1;
        Files.write(snapshot, bytes);
        IOException e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        store = null;
    }

    @Test
    void twoStoresCannotShareADirectory() throws IOException {
        open();
        FileOffsetStore first = store;
        assertThrows(IOException.class, () -> new FileOffsetStore(Map.of("cairn.offsets.file.dir", dir().toString())));
        store = first;
    }

    @Test
    void backgroundFsyncModeKeepsCommitsAcrossAnOrderlyStop() throws IOException {
        open(Map.of("cairn.offsets.file.fsync.interval.ms", "50"));
        store.commit("g", List.of(offset("t", 0, 7)));
        store.deactivate();
        open();
        assertEquals(7, offsetOf("g", "t", 0));
    }

    @Test
    void theStoreLivesUnderTheFirstLogDir() {
        assertEquals(Path.of("/data/a/__cairn_offsets"),
                FileOffsetStore.directory(Map.of("log.dirs", "/data/a,/data/b")));
        assertEquals(Path.of("/work/data/__cairn_offsets"),
                FileOffsetStore.directory(Map.of("cairn.working.dir", "/work")));
    }
}
