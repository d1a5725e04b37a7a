package io.cairn.storage.segmented.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TopicPartition;

/**
 * A timed run, not a benchmark with a verdict: for each codec, cleans a dirty log of 300,000
 * records (120-byte values, a fifth of them random, over 10,000 keys, batches of 100 records; 41
 * MB uncompressed) after a warm-up cleaning of a fifth of that, and prints the throughput in MB
 * of dirty log (as stored, so compressed for the codecs) per second. The figures go to
 * docs/performance.md; nothing is asserted about them.
 */
class CleanerThroughputTest {

    private static final int RECORDS = 300_000;
    private static final int KEYS = 10_000;
    private static final int PER_BATCH = 100;

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void cleaningThroughput(String codec) throws IOException, InterruptedException {
        run(codec, RECORDS / 5, false); // warm-up: let the JIT compile the cleaner first
        run(codec, RECORDS, true);
    }

    private void run(String codec, int records, boolean print) throws IOException, InterruptedException {
        ManualClock clock = new ManualClock(CompactedLogs.T0 + 1_000_000);
        SegmentedStorageEngine engine = new SegmentedStorageEngine(clock, SegmentedStorageEngine.newScheduler(), 60_000,
                CleanerConfig.defaults());
        try {
            TopicPartition partition = new TopicPartition("throughput-" + codec + "-" + records, 0);
            PartitionLog log = engine.open(partition, root.resolve(partition.directoryName()), LogConfig.of(Map.of(
                    "cleanup.policy", "compact", LogConfig.SEGMENT_BYTES, Integer.toString(16 << 20))));
            Compression compression = switch (codec) {
                case "gzip" -> Compression.gzip().build();
                case "snappy" -> Compression.snappy().build();
                case "lz4" -> Compression.lz4().build();
                case "zstd" -> Compression.zstd().build();
                default -> Compression.NONE;
            };
            Random random = new Random(1);
            // 120-byte values, 24 random bytes and 96 of text: compressible as real payloads are.
            byte[] value = new byte[120];
            byte[] text = "a compacted topic keeps the latest value of every key; this part of each value repeats itself here."
                    .substring(0, 96).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(text, 0, value, 24, 96);
            byte[] noise = new byte[24];
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (int offset = 0; offset < records; offset += PER_BATCH) {
                buffer.clear();
                MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                        TimestampType.CREATE_TIME, offset);
                for (int i = 0; i < PER_BATCH; i++) {
                    random.nextBytes(noise);
                    System.arraycopy(noise, 0, value, 0, noise.length);
                    builder.append(CompactedLogs.T0 + offset + i,
                            ("key-" + random.nextInt(KEYS)).getBytes(StandardCharsets.UTF_8), value);
                }
                log.append(builder.build().buffer());
            }
            // Roll, so that everything written is below the active segment.
            buffer.clear();
            MemoryRecordsBuilder last = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                    TimestampType.CREATE_TIME, log.logEndOffset());
            last.append(CompactedLogs.T0, "last".getBytes(StandardCharsets.UTF_8), new byte[(16 << 20) - 200]);
            log.append(last.build().buffer());
            // As in a running broker, rolled segments are on disk before the cleaner sees them: do
            // not let the cleaner's own fsync pay for flushing what the test just wrote.
            log.flush();
            long dirtyBytes = log.sizeInBytes() - (16 << 20);

            long started = System.nanoTime();
            Cleaner.Result result = engine.cleaner().cleanFilthiestLog().orElseThrow();
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(result.keys() <= KEYS);
            assertTrue(result.recordsAfter() <= KEYS);
            if (print) {
                assertEquals(KEYS, result.keys());
                System.out.printf("Cleaner throughput (%s): %.1f MB of dirty log (%d records, %d keys) cleaned in %.2f s"
                        + " = %.1f MB/s, %.0f k records/s; %d -> %d bytes%n", codec, dirtyBytes / 1e6, records, KEYS, seconds,
                        dirtyBytes / 1e6 / seconds, records / seconds / 1000, result.bytesBefore(), result.bytesAfter());
            }
            log.close();
        } finally {
            engine.deactivate();
        }
    }
}
