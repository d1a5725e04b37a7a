package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.cairn.storage.spi.FileSlice;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TopicPartition;
import io.cairn.storage.spi.tck.TestBatches;

/**
 * Append and read throughput of the segmented engine with 16 KiB batches of 1 KiB records, and the
 * time to open a log of 1,000 segments after a clean close. Not run by the tests; see
 * {@code docs/performance.md} for the command and the figures. The directory is
 * {@code -Dcairn.bench.dir} (default: the system temp directory), so that it is on the disk the
 * {@code dd} comparison measures.
 */
public class StorageBenchmark {

    static final TopicPartition PARTITION = new TopicPartition("bench", 0);
    /** 16 records of 1,000-byte values: a 16 KiB batch (16,205 bytes with headers). */
    static final ByteBuffer BATCH = TestBatches.batch(0, 0, 1_700_000_000_000L, 16, 1000);

    static Path benchDir(String name) throws IOException {
        Path base = Path.of(System.getProperty("cairn.bench.dir", System.getProperty("java.io.tmpdir")));
        return Files.createTempDirectory(Files.createDirectories(base), name);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    static void appendOne(PartitionLog log, ByteBuffer batch) throws IOException {
        // The base offset is outside the CRC: restamping it keeps the batch valid, as the broker does.
        batch.putLong(0, log.logEndOffset());
        log.append(batch);
    }

    /** 65,536 batches: 1,062,010,880 bytes, just under one default 1 GiB segment. */
    static final int APPENDS_PER_ITERATION = 65_536;

    /**
     * A fresh log per iteration, deleted (not closed) afterwards: its dirty pages are dropped rather
     * than written back, so no iteration pays for the previous one's writeback. This is what the
     * {@code dd} comparison does too (a new 1 GiB file each time, removed after).
     */
    @State(Scope.Thread)
    public static class AppendState {
        SegmentedStorageEngine engine;
        PartitionLog log;
        Path dir;
        final ByteBuffer batch = ByteBuffer.allocateDirect(BATCH.remaining()).put(BATCH.duplicate()).flip();

        @Setup(Level.Iteration)
        public void open() throws IOException {
            engine = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);
            dir = benchDir("append");
            log = engine.open(PARTITION, dir.resolve(PARTITION.directoryName()), LogConfig.defaults());
        }

        @TearDown(Level.Iteration)
        public void delete() throws Exception {
            log.delete();
            engine.deactivate();
            deleteTree(dir);
        }
    }

    /**
     * Time to append 1 GiB as 65,536 batches of 16 KiB (16 records of 1,000 bytes) to the page
     * cache; bytes per second = 1,062,010,880 / time.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(batchSize = APPENDS_PER_ITERATION)
    @Measurement(batchSize = APPENDS_PER_ITERATION)
    public long append16KiBBatches(AppendState state) throws IOException {
        appendOne(state.log, state.batch);
        return state.log.logEndOffset();
    }

    /** The control: the same 65,536 16 KiB writes with a bare {@code FileChannel}, no engine. */
    @State(Scope.Thread)
    public static class RawFileState {
        Path dir;
        FileChannel file;
        long position;
        final ByteBuffer batch = ByteBuffer.allocateDirect(BATCH.remaining()).put(BATCH.duplicate()).flip();

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = benchDir("raw");
            file = FileChannel.open(dir.resolve("00000000000000000000.log"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            position = 0;
        }

        @TearDown(Level.Iteration)
        public void delete() throws IOException {
            file.close();
            deleteTree(dir);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(batchSize = APPENDS_PER_ITERATION)
    @Measurement(batchSize = APPENDS_PER_ITERATION)
    public long rawFileChannel16KiBWrites(RawFileState state) throws IOException {
        ByteBuffer batch = state.batch.duplicate();
        while (batch.hasRemaining()) {
            state.position += state.file.write(batch, state.position);
        }
        return state.position;
    }

    /** 1 GiB of batches written once, read from the start over and over. */
    @State(Scope.Thread)
    public static class ReadState {
        static final long LOG_BYTES = 1L << 30;
        SegmentedStorageEngine engine;
        PartitionLog log;
        Path dir;
        long offset;
        FileChannel devNull;
        final ByteBuffer heap = ByteBuffer.allocateDirect(1 << 20);

        @Setup(Level.Trial)
        public void fill() throws IOException {
            engine = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);
            dir = benchDir("read");
            log = engine.open(PARTITION, dir.resolve(PARTITION.directoryName()), LogConfig.defaults());
            ByteBuffer batch = BATCH.duplicate();
            for (long written = 0; written < LOG_BYTES; written += batch.remaining()) {
                appendOne(log, batch);
            }
            // Let writeback finish before measuring, so it does not compete with the reads.
            log.flush();
            devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            devNull.close();
            log.close();
            engine.deactivate();
            deleteTree(dir);
        }

        long transfer(WritableByteChannel target) throws IOException {
            if (offset >= log.logEndOffset()) {
                offset = 0;
            }
            LogReadResult result = log.read(offset, 1 << 20, Long.MAX_VALUE);
            long done = 0;
            while (done < result.sizeInBytes()) {
                done += result.transferTo(target, done, result.sizeInBytes() - done);
            }
            offset = result.nextOffset();
            result.release();
            return done;
        }
    }

    /** 1 MiB fetches sent with transferTo to /dev/null (the sendfile path); ops/s times 1 MiB. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long read1MiBWithTransferTo(ReadState state) throws IOException {
        return state.transfer(state.devNull);
    }

    /**
     * 1 MiB fetches read into a user-space buffer through the region's file slice (one
     * {@code pread}, what dd's read does and what a network layer without sendfile would do).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long read1MiBCopied(ReadState state) throws IOException {
        if (state.offset >= state.log.logEndOffset()) {
            state.offset = 0;
        }
        LogReadResult result = state.log.read(state.offset, 1 << 20, Long.MAX_VALUE);
        FileSlice slice = result.fileSlice().orElseThrow();
        state.heap.clear().limit((int) slice.count());
        long done = 0;
        while (state.heap.hasRemaining()) {
            done += slice.channel().read(state.heap, slice.position() + done);
        }
        state.offset = result.nextOffset();
        result.release();
        return done;
    }

    /** A log of 1,000 one-MiB segments, closed cleanly, opened once per invocation. */
    @State(Scope.Benchmark)
    public static class RestartState {
        SegmentedStorageEngine engine;
        Path dir;
        PartitionLog log;
        final LogConfig config = LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(1 << 20)));

        @Setup(Level.Trial)
        public void fill() throws IOException {
            engine = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);
            dir = benchDir("restart");
            PartitionLog writer = engine.open(PARTITION, dir.resolve(PARTITION.directoryName()), config);
            ByteBuffer batch = BATCH.duplicate();
            while (((SegmentedLog) writer).segmentCount() < 1000) {
                appendOne(writer, batch);
            }
            writer.close();
        }

        @TearDown(Level.Invocation)
        public void closeLog() throws IOException {
            log.close();
        }

        @TearDown(Level.Trial)
        public void delete() throws Exception {
            engine.deactivate();
            deleteTree(dir);
        }
    }

    /** Opening the 1,000-segment log after a clean close, then the first read at the start. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long openThousandSegments(RestartState state) throws IOException {
        state.log = state.engine.open(PARTITION, state.dir.resolve(PARTITION.directoryName()), state.config);
        LogReadResult first = state.log.read(0, 1, Long.MAX_VALUE);
        first.release();
        return state.log.logEndOffset();
    }

    /** The same log as after kill -9: no clean-shutdown marker, so the active segment is recovered. */
    @State(Scope.Benchmark)
    public static class CrashedState extends RestartState {
        @Setup(Level.Invocation)
        public void crash() throws IOException {
            Files.deleteIfExists(dir.resolve(PARTITION.directoryName()).resolve(LogFiles.CLEAN_SHUTDOWN));
        }
    }

    /**
     * Opening the 1,000-segment log after kill -9 (the recovery point at the active segment, as the
     * background flush of rolled segments leaves it): the last 1 MiB segment is CRC-scanned and
     * its indexes rebuilt.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long openThousandSegmentsAfterKill(CrashedState state) throws IOException {
        return openThousandSegments(state);
    }
}
