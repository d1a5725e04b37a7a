package io.cairn.rest.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.cairn.rest.proxy.internal.RecordBatchDecoder.CorruptBatchException;
import io.cairn.rest.proxy.internal.RecordBatchDecoder.DecodedRecord;

/**
 * The decoder against batches written by Kafka's own {@code MemoryRecords} — the bytes the log
 * stores — in every codec Kafka writes: keys, values, null versus empty, headers (skipped),
 * timestamps, offsets, reads starting inside a batch, transaction markers, and corruption.
 */
class RecordBatchDecoderTest {

    private static Compression codec(String name) {
        return switch (name) {
            case "none" -> Compression.NONE;
            case "gzip" -> Compression.gzip().build();
            case "snappy" -> Compression.snappy().build();
            case "lz4" -> Compression.lz4().build();
            case "zstd" -> Compression.zstd().build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Several batches of random records, concatenated as a log region, with their expected contents. */
    private static ByteBuffer region(Compression compression, long baseOffset, List<SimpleRecord> expected, Random random,
            int batches) {
        List<ByteBuffer> parts = new ArrayList<>();
        long offset = baseOffset;
        for (int b = 0; b < batches; b++) {
            int n = 1 + random.nextInt(40);
            SimpleRecord[] records = new SimpleRecord[n];
            for (int i = 0; i < n; i++) {
                byte[] key = random.nextInt(5) == 0 ? null : bytes(random, random.nextInt(30));
                byte[] value = random.nextInt(7) == 0 ? null : bytes(random, random.nextInt(3000));
                Header[] headers = random.nextBoolean() ? new Header[0]
                        : new Header[] {new RecordHeader("h", bytes(random, 5)), new RecordHeader("n", null)};
                records[i] = new SimpleRecord(1_700_000_000_000L + random.nextInt(100_000), key, value, headers);
                expected.add(records[i]);
            }
            parts.add(MemoryRecords.withRecords(offset, compression, records).buffer());
            offset += n;
        }
        int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        parts.forEach(out::put);
        return out.flip();
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] array(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void readsWhatKafkaWroteInEveryCodec(String codecName) throws Exception {
        Random random = new Random(codecName.hashCode());
        for (int round = 0; round < 20; round++) {
            List<SimpleRecord> expected = new ArrayList<>();
            long base = random.nextInt(1_000_000);
            ByteBuffer region = region(codec(codecName), base, expected, random, 1 + random.nextInt(5));
            RecordBatchDecoder.Decoded decoded = RecordBatchDecoder.decode(region, base);
            assertEquals(expected.size(), decoded.records().size());
            assertEquals(base + expected.size(), decoded.nextOffset());
            for (int i = 0; i < expected.size(); i++) {
                DecodedRecord r = decoded.records().get(i);
                assertEquals(base + i, r.offset());
                assertEquals(expected.get(i).timestamp(), r.timestamp());
                assertArrayEquals(array(expected.get(i).key()), r.key(), "key " + i);
                assertArrayEquals(array(expected.get(i).value()), r.value(), "value " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "lz4"})
    void aReadStartingInsideABatchSkipsTheRecordsBeforeIt(String codecName) throws Exception {
        List<SimpleRecord> expected = new ArrayList<>();
        ByteBuffer region = region(codec(codecName), 100, expected, new Random(3), 3);
        long from = 100 + expected.size() / 2;
        RecordBatchDecoder.Decoded decoded = RecordBatchDecoder.decode(region, from);
        assertEquals(100 + expected.size() - from, decoded.records().size());
        assertEquals(from, decoded.records().get(0).offset());
        assertEquals(100 + expected.size(), decoded.nextOffset());
    }

    @Test
    void emptyKeysAndValuesAreNotNull() throws Exception {
        ByteBuffer batch = MemoryRecords.withRecords(0, Compression.NONE, new SimpleRecord(5L, new byte[0], new byte[0]),
                new SimpleRecord(6L, (byte[]) null, (byte[]) null)).buffer();
        List<DecodedRecord> records = RecordBatchDecoder.decode(batch, 0).records();
        assertArrayEquals(new byte[0], records.get(0).key());
        assertArrayEquals(new byte[0], records.get(0).value());
        assertEquals(null, records.get(1).key());
        assertEquals(null, records.get(1).value());
    }

    @Test
    void transactionMarkersAreSkippedButCounted() throws Exception {
        ByteBuffer data = MemoryRecords.withTransactionalRecords(0, Compression.NONE, 7L, (short) 0, 0, 0,
                new SimpleRecord("a".getBytes(StandardCharsets.UTF_8)), new SimpleRecord("b".getBytes(StandardCharsets.UTF_8))).buffer();
        ByteBuffer marker = MemoryRecords.withEndTransactionMarker(2, System.currentTimeMillis(), RecordBatch.NO_PARTITION_LEADER_EPOCH,
                7L, (short) 0, new EndTransactionMarker(ControlRecordType.COMMIT, 0)).buffer();
        ByteBuffer region = ByteBuffer.allocate(data.remaining() + marker.remaining()).put(data).put(marker).flip();
        RecordBatchDecoder.Decoded decoded = RecordBatchDecoder.decode(region, 0);
        assertEquals(2, decoded.records().size());
        assertEquals(3, decoded.nextOffset(), "the marker's offset is passed over");
    }

    @Test
    void logAppendTimeBatchesGiveTheBrokersTime() throws Exception {
        ByteBuffer batch = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE,
                TimestampType.LOG_APPEND_TIME, new SimpleRecord(5L, null, "v".getBytes(StandardCharsets.UTF_8))).buffer();
        // MemoryRecords stamps LogAppendTime batches with the builder's clock as max timestamp.
        long max = batch.getLong(35);
        assertEquals(max, RecordBatchDecoder.decode(batch, 0).records().get(0).timestamp());
    }

    @Test
    void aPartialTrailingBatchIsLeftForTheNextRead() throws Exception {
        List<SimpleRecord> expected = new ArrayList<>();
        ByteBuffer region = region(Compression.NONE, 0, expected, new Random(11), 2);
        int firstSize = 12 + region.getInt(8);
        ByteBuffer cut = region.duplicate().limit(firstSize + 30);
        RecordBatchDecoder.Decoded decoded = RecordBatchDecoder.decode(cut, 0);
        assertEquals(region.getInt(23) + 1, decoded.records().size());
        assertEquals(decoded.records().size(), decoded.nextOffset());
    }

    @Test
    void aDamagedBatchFailsItsCrcCheck() {
        ByteBuffer batch = MemoryRecords.withRecords(40, Compression.gzip().build(),
                new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8))).buffer();
        batch.put(batch.limit() - 3, (byte) (batch.get(batch.limit() - 3) ^ 0x55));
        CorruptBatchException e = assertThrows(CorruptBatchException.class, () -> RecordBatchDecoder.decode(batch, 40));
        assertTrue(e.getMessage().contains("offset 40") && e.getMessage().contains("CRC"), e.getMessage());
    }
}
