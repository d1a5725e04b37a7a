package io.cairn.producer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.junit.jupiter.api.Test;

import io.cairn.producer.Header;
import io.cairn.storage.spi.Varints;

/** Batches written by {@link RecordBatchEncoder}, read back by Kafka's own record classes. */
class RecordBatchEncoderTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Reads the one batch in {@code encoded} and checks it record by record against {@code expected}. */
    private static void assertReadsBack(List<OutgoingRecord> expected, ByteBuffer encoded) {
        MemoryRecords records = MemoryRecords.readableRecords(encoded.duplicate());
        List<RecordBatch> batches = new ArrayList<>();
        records.batches().forEach(batches::add);
        assertEquals(1, batches.size());
        RecordBatch batch = batches.get(0);
        batch.ensureValid(); // CRC-32C and sizes
        assertEquals(RecordBatch.MAGIC_VALUE_V2, batch.magic());
        assertEquals(encoded.remaining(), batch.sizeInBytes());
        assertEquals(expected.size(), batch.countOrNull());
        assertEquals(expected.size() - 1, batch.lastOffset() - batch.baseOffset());
        assertEquals(RecordBatch.NO_PRODUCER_ID, batch.producerId());
        assertEquals(RecordBatch.NO_SEQUENCE, batch.baseSequence());
        assertFalse(batch.isTransactional());
        assertEquals(expected.stream().mapToLong(OutgoingRecord::timestamp).max().getAsLong(), batch.maxTimestamp());
        int i = 0;
        for (Record r : batch) {
            OutgoingRecord e = expected.get(i);
            r.ensureValid();
            assertEquals(i, r.offset());
            assertEquals(e.timestamp(), r.timestamp());
            assertArrayEquals(e.key(), copy(r.key()), "key of record " + i);
            assertArrayEquals(e.value(), copy(r.value()), "value of record " + i);
            assertEquals(e.headers().size(), r.headers().length);
            for (int h = 0; h < e.headers().size(); h++) {
                assertEquals(e.headers().get(h).key(), r.headers()[h].key());
                assertArrayEquals(e.headers().get(h).value(), r.headers()[h].value());
            }
            i++;
        }
        assertEquals(expected.size(), i);
    }

    @Test
    void oneRecordWithKeyValueAndHeaders() {
        List<OutgoingRecord> records = List.of(new OutgoingRecord(bytes("k"), bytes("v"),
                List.of(new Header("h1", bytes("x")), new Header("h1", null), new Header("ünï", new byte[0])),
                1_700_000_000_123L));
        ByteBuffer encoded = RecordBatchEncoder.encode(records);
        assertReadsBack(records, encoded);
    }

    @Test
    void nullAndEmptyKeysAndValuesStayDistinct() {
        List<OutgoingRecord> records = List.of(
                new OutgoingRecord(null, null, List.of(), 5L),
                new OutgoingRecord(new byte[0], new byte[0], List.of(), 5L),
                new OutgoingRecord(null, bytes("only value"), List.of(), 5L),
                new OutgoingRecord(bytes("only key"), null, List.of(), 5L));
        ByteBuffer encoded = RecordBatchEncoder.encode(records);
        assertReadsBack(records, encoded);
        List<Record> read = new ArrayList<>();
        MemoryRecords.readableRecords(encoded).records().forEach(read::add);
        assertNull(read.get(0).key());
        assertEquals(0, read.get(1).key().remaining());
    }

    /** Timestamps out of order (negative deltas), large values and many records: varint edge cases. */
    @Test
    void randomBatchesReadBackExactly() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(300);
            long base = random.nextInt(2) == 0 ? 1_700_000_000_000L : random.nextLong() >>> 2;
            List<OutgoingRecord> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] key = random.nextInt(5) == 0 ? null : randomBytes(random, random.nextInt(3) == 0 ? 300 : 20);
                byte[] value = random.nextInt(7) == 0 ? null : randomBytes(random, random.nextInt(4) == 0 ? 20_000 : 100);
                List<Header> headers = new ArrayList<>();
                for (int h = random.nextInt(4); h > 0; h--) {
                    headers.add(new Header("h" + random.nextInt(1000), random.nextBoolean() ? null : randomBytes(random, 200)));
                }
                long ts = base + random.nextInt(2_000_000) - 1_000_000;
                records.add(new OutgoingRecord(key, value, headers, ts));
            }
            ByteBuffer encoded = RecordBatchEncoder.encode(records);
            assertReadsBack(records, encoded);
        }
    }

    @Test
    void sizeInBatchIsWhatIsWritten() {
        OutgoingRecord r = new OutgoingRecord(bytes("key"), new byte[200], List.of(new Header("a", bytes("b"))), 100L);
        ByteBuffer one = RecordBatchEncoder.encode(List.of(r));
        assertEquals(RecordBatchEncoder.HEADER_BYTES + RecordBatchEncoder.sizeInBatch(r, 0, 0), one.remaining());
    }

    @Test
    void varintsMatchKafka() {
        long[] samples = {0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000_000L, -1_700_000_000_000L};
        for (long v : samples) {
            ByteBuffer ours = ByteBuffer.allocate(10);
            Varints.writeVarlong(v, ours);
            ByteBuffer kafka = ByteBuffer.allocate(10);
            ByteUtils.writeVarlong(v, kafka);
            assertEquals(kafka.flip(), ours.flip(), "varlong " + v);
            assertEquals(v, Varints.readVarlong(ours.duplicate()));
            assertEquals(ByteUtils.sizeOfVarlong(v), Varints.sizeOfVarlong(v));
            if (v == (int) v) {
                ByteBuffer kafkaInt = ByteBuffer.allocate(5);
                ByteUtils.writeVarint((int) v, kafkaInt);
                ByteBuffer ourInt = ByteBuffer.allocate(5);
                Varints.writeVarint((int) v, ourInt);
                assertEquals(kafkaInt.flip(), ourInt.flip(), "varint " + v);
                assertEquals((int) v, Varints.readVarint(ourInt.duplicate()));
                assertEquals(ByteUtils.sizeOfVarint((int) v), Varints.sizeOfVarint((int) v));
            }
        }
    }

    private static byte[] randomBytes(Random random, int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }
}
