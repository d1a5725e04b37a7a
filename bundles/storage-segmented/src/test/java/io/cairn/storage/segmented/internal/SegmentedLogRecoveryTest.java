package io.cairn.storage.segmented.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TopicPartition;
import io.cairn.storage.spi.tck.TestBatches;

/**
 * Crash tests: segment and index files cut and corrupted at many positions, then opened again.
 * What must hold: every batch wholly before the damage is served byte for byte, nothing after it
 * is (no invented records), the log accepts appends at its new end, and damaged indexes are
 * rebuilt rather than trusted.
 */
class SegmentedLogRecoveryTest {

    private static final TopicPartition PARTITION = new TopicPartition("crash", 0);
    /** About seven 1,141-byte test batches per segment. */
    private static final LogConfig CONFIG = LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "8192", LogConfig.INDEX_INTERVAL_BYTES, "1000"));
    private static final int BATCHES = 40;

    @TempDir
    Path root;

    private SegmentedStorageEngine engine;
    private Path pristine;
    private final List<ByteBuffer> written = new ArrayList<>();

    @BeforeEach
    void writePristineLog() throws IOException {
        engine = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);
        pristine = root.resolve("pristine").resolve(PARTITION.directoryName());
        PartitionLog log = engine.open(PARTITION, pristine, CONFIG);
        for (int i = 0; i < BATCHES; i++) {
            ByteBuffer batch = TestBatches.batch(log.logEndOffset(), i / 10, 1_000_000 + i * 100L, 10, 100);
            written.add(batch.duplicate());
            log.append(batch);
        }
        log.close();
    }

    @AfterEach
    void stop() throws InterruptedException {
        engine.deactivate();
    }

    private Path copyOfPristine(String name) throws IOException {
        Path copy = root.resolve(name).resolve(PARTITION.directoryName());
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(pristine)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }

    /** As after kill -9 with nothing known to be flushed: no clean-shutdown marker, recovery point 0. */
    private static void forgetCleanShutdown(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
        LogLoader.OffsetCheckpoints.write(dir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT), PARTITION, 0);
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    /** Every byte the log serves from its start, read in small steps. */
    private static ByteBuffer served(PartitionLog log) throws IOException {
        List<ByteBuffer> parts = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogReadResult result = log.read(offset, 5000, Long.MAX_VALUE);
            if (result.sizeInBytes() == 0) {
                break;
            }
            parts.add(result.copyToHeap());
            offset = result.nextOffset();
            result.release();
        }
        return TestBatches.concat(parts);
    }

    /** Opens the damaged copy and checks it serves exactly the first {@code survivors} batches. */
    private void assertSurvivors(Path dir, int survivors, String what) throws IOException {
        PartitionLog log = engine.open(PARTITION, dir, CONFIG);
        try {
            assertEquals(TestBatches.concat(written.subList(0, survivors)), served(log), what);
            assertEquals(survivors * 10L, log.logEndOffset(), what);
            // The log goes on from there.
            log.append(TestBatches.batch(log.logEndOffset(), 9, 5_000_000, 2, 10));
            assertEquals(survivors * 10L + 2, log.logEndOffset(), what);
        } finally {
            log.close();
        }
    }

    @Test
    void aTornTailIsCutToTheLastWholeBatch() throws IOException {
        List<Path> segments = segmentFiles(pristine);
        Path last = segments.get(segments.size() - 1);
        long lastBase = Long.parseLong(last.getFileName().toString().substring(0, 20));
        int batchSize = written.get(0).remaining();
        long lastSize = Files.size(last);
        int before = (int) (lastBase / 10);
        int cases = 0;
        for (long cut = 0; cut <= lastSize; cut += 97) {
            for (long at : new long[] {cut, Math.min(lastSize, (cut / batchSize) * batchSize + 1)}) {
                Path copy = copyOfPristine("cut-" + at + "-" + cases++);
                forgetCleanShutdown(copy);
                try (RandomAccessFile file = new RandomAccessFile(copy.resolve(last.getFileName()).toFile(), "rw")) {
                    file.setLength(at);
                }
                assertSurvivors(copy, before + (int) (at / batchSize), "segment cut at " + at);
            }
        }
        assertTrue(cases > 20);
    }

    @Test
    void aCorruptByteEndsTheLogAtTheBatchBeforeIt() throws IOException {
        List<Path> segments = segmentFiles(pristine);
        Path middle = segments.get(segments.size() / 2);
        long base = Long.parseLong(middle.getFileName().toString().substring(0, 20));
        int batchSize = written.get(0).remaining();
        long size = Files.size(middle);
        Random random = new Random(5);
        int cases = 0;
        for (long position = 0; position < size; position += 1 + random.nextInt(150)) {
            int inBatch = (int) (position % batchSize);
            // baseOffset (bytes 0-7) and the leader epoch (12-15) are outside Kafka's CRC; see docs/storage.md.
            if (inBatch < 8 || (inBatch >= 12 && inBatch < 16)) {
                continue;
            }
            Path copy = copyOfPristine("flip-" + position);
            forgetCleanShutdown(copy);
            try (RandomAccessFile file = new RandomAccessFile(copy.resolve(middle.getFileName()).toFile(), "rw")) {
                file.seek(position);
                int b = file.read();
                file.seek(position);
                file.write(b ^ (1 << random.nextInt(8)));
            }
            assertSurvivors(copy, (int) (base / 10) + (int) (position / batchSize), "byte flipped at " + position);
            // Segments after the damaged one are gone: they followed a hole.
            String damaged = middle.getFileName().toString();
            assertTrue(segmentFiles(copy).stream().allMatch(p -> p.getFileName().toString().compareTo(damaged) <= 0),
                    "no segment beyond the damage");
            cases++;
        }
        assertTrue(cases > 20, "cases: " + cases);
    }

    @Test
    void aProcessKilledWithoutCloseLosesNothingItAppended() throws Exception {
        Path dir = root.resolve("killed").resolve(PARTITION.directoryName());
        SegmentedStorageEngine first = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);
        PartitionLog log = first.open(PARTITION, dir, CONFIG);
        for (ByteBuffer batch : written) {
            log.append(batch.duplicate());
        }
        first.deactivate(); // the process dies: the log is never closed, the page cache keeps the bytes
        PartitionLog again = engine.open(PARTITION, dir, CONFIG);
        assertEquals(TestBatches.concat(written), served(again));
        assertEquals(BATCHES * 10L, again.logEndOffset());
        assertEquals(List.of(0, 1, 2, 3), again.epochEntries().stream().map(e -> e.epoch()).toList());
        again.close();
    }

    @Test
    void damagedIndexesAreRebuiltNotTrusted() throws IOException {
        List<Path> segments = segmentFiles(pristine);
        Random random = new Random(9);
        int cases = 0;
        for (Path segment : List.of(segments.get(1), segments.get(segments.size() / 2), segments.get(segments.size() - 1))) {
            String base = segment.getFileName().toString().substring(0, 20);
            for (String suffix : List.of(".index", ".timeindex")) {
                for (String damage : List.of("delete", "odd-length", "zeros", "garbage", "shuffle", "grow")) {
                    Path copy = copyOfPristine("index-" + base + suffix + "-" + damage);
                    Path index = copy.resolve(base + suffix);
                    byte[] bytes = Files.readAllBytes(index);
                    switch (damage) {
                        case "delete" -> Files.delete(index);
                        case "odd-length" -> Files.write(index, java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - 3)));
                        case "zeros" -> Files.write(index, new byte[bytes.length + 24]);
                        case "garbage" -> {
                            byte[] garbage = bytes.clone();
                            for (int i = 0; i < garbage.length; i += 1 + random.nextInt(5)) {
                                garbage[i] = (byte) random.nextInt();
                            }
                            Files.write(index, garbage);
                        }
                        case "shuffle" -> {
                            byte[] reversed = new byte[bytes.length];
                            int entry = suffix.equals(".index") ? 8 : 12;
                            for (int i = 0; i + entry <= bytes.length; i += entry) {
                                System.arraycopy(bytes, i, reversed, bytes.length - i - entry, entry);
                            }
                            Files.write(index, reversed);
                        }
                        default -> Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length + 8 * 12));
                    }
                    PartitionLog log = engine.open(PARTITION, copy, CONFIG);
                    String what = damage + " " + base + suffix;
                    assertEquals(TestBatches.concat(written), served(log), what);
                    for (long offset = 0; offset < BATCHES * 10L; offset += 7) {
                        LogReadResult one = log.read(offset, 1, Long.MAX_VALUE);
                        BatchHeader header = BatchHeader.read(one.copyToHeap(), 0);
                        one.release();
                        assertTrue(header.baseOffset() <= offset && offset <= header.lastOffset(), what + " read " + offset);
                        assertEquals(offset, log.offsetForTimestamp(1_000_000 + (offset / 10) * 100 + offset % 10).orElseThrow().offset(),
                                what + " timestamp of " + offset);
                    }
                    log.close();
                    cases++;
                }
            }
        }
        assertEquals(36, cases);
    }

    @Test
    void aCleanCloseNeedsNoRecoveryAndLeavesTrimmedIndexes() throws IOException {
        for (Path segment : segmentFiles(pristine)) {
            String base = segment.getFileName().toString().substring(0, 20);
            assertEquals(0, Files.size(pristine.resolve(base + ".index")) % 8);
            assertTrue(Files.size(pristine.resolve(base + ".index")) < 1024, "trimmed, not preallocated");
        }
        assertTrue(Files.exists(pristine.resolve(LogFiles.CLEAN_SHUTDOWN)));
        assertEquals(List.of("0", "1", "crash 0 400"), Files.readAllLines(pristine.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT)));
        assertEquals(List.of("0", "4", "0 0", "1 100", "2 200", "3 300"), Files.readAllLines(pristine.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT)));
        // Even a damaged segment below the recovery point is not scanned after a clean close.
        Path copy = copyOfPristine("clean");
        Path first = segmentFiles(copy).get(0);
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw")) {
            file.seek(100);
            file.write(0x55);
        }
        PartitionLog log = engine.open(PARTITION, copy, CONFIG);
        assertEquals(BATCHES * 10L, log.logEndOffset());
        assertFalse(Files.exists(copy.resolve(LogFiles.CLEAN_SHUTDOWN)), "the marker is consumed by open");
        log.close();
    }

    @Test
    void damagedCheckpointsCostAScanNotData() throws IOException {
        for (String damage : List.of("garbage", "empty", "missing")) {
            Path copy = copyOfPristine("checkpoints-" + damage);
            for (String name : List.of(LogFiles.RECOVERY_POINT_CHECKPOINT, LogFiles.LOG_START_CHECKPOINT, LogFiles.LEADER_EPOCH_CHECKPOINT)) {
                Path file = copy.resolve(name);
                switch (damage) {
                    case "garbage" -> Files.writeString(file, "0\n7\nnot a checkpoint\n");
                    case "empty" -> Files.write(file, new byte[0]);
                    default -> Files.delete(file);
                }
            }
            Files.delete(copy.resolve(LogFiles.CLEAN_SHUTDOWN));
            PartitionLog log = engine.open(PARTITION, copy, CONFIG);
            assertEquals(TestBatches.concat(written), served(log), damage);
            assertEquals(List.of(0, 1, 2, 3), log.epochEntries().stream().map(e -> e.epoch()).toList(),
                    damage + ": epochs rebuilt from the batches");
            log.close();
        }
    }
}
