package io.cairn.storage.segmented.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TopicPartition;
import io.cairn.storage.spi.tck.TestBatches;

/**
 * A real kill -9: a child JVM appends as fast as it can (rolling segments, flushing every 500
 * records) and is killed with SIGKILL mid-stream. On reopen every acknowledged record is there,
 * in order, with its own value, and nothing else is.
 */
class KillNineTest {

    @TempDir
    Path root;

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        Path dir = root.resolve("killed-0");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AppendUntilKilled.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long acknowledged = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
                acknowledged = Long.parseLong(line.trim());
                if (acknowledged >= 20_000) {
                    break;
                }
            }
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child killed");
        }
        assertTrue(acknowledged >= 1_000, "the child appended before it was killed: " + acknowledged);

        SegmentedStorageEngine engine = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);
        PartitionLog log = engine.open(new TopicPartition("killed", 0), dir, LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "65536")));
        try {
            assertTrue(log.logEndOffset() >= acknowledged, "log end " + log.logEndOffset() + " below acknowledged " + acknowledged);
            long expected = 0;
            while (expected < log.logEndOffset()) {
                LogReadResult result = log.read(expected, 100_000, Long.MAX_VALUE);
                ByteBuffer bytes = result.copyToHeap();
                result.release();
                int position = 0;
                while (position < bytes.limit()) {
                    BatchHeader header = BatchHeader.read(bytes, position);
                    assertEquals(expected, header.baseOffset(), "batches follow each other");
                    assertTrue(BatchHeader.crcMatches(bytes, position), "CRC of batch " + expected);
                    assertArrayEquals(TestBatches.batch(expected, (int) (expected / 1000), 1_000_000, 10, 200).array(),
                            copy(bytes, position, header.sizeInBytes()), "batch " + expected + " is the one written");
                    expected = header.nextOffset();
                    position += header.sizeInBytes();
                }
            }
            assertEquals(log.logEndOffset(), expected);
            List<Integer> epochs = log.epochEntries().stream().map(e -> e.epoch()).toList();
            assertEquals((int) ((log.logEndOffset() - 1) / 1000) + 1, epochs.size(), "an epoch per 1,000 records: " + epochs);
        } finally {
            log.close();
            engine.deactivate();
        }
    }

    private static byte[] copy(ByteBuffer buffer, int position, int length) {
        byte[] bytes = new byte[length];
        buffer.duplicate().position(position).get(bytes);
        return bytes;
    }
}
