package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;

import io.cairn.storage.spi.PartitionLog;

/**
 * Test support for compaction: batches built with kafka-clients' {@link MemoryRecordsBuilder}, and
 * segment files read back with Kafka's {@link FileRecords} (the outside oracle).
 */
final class CompactedLogs {

    static final long T0 = 1_700_000_000_000L;

    static final Compression[] CODECS = {
        Compression.NONE, Compression.gzip().build(), Compression.snappy().build(), Compression.lz4().build(),
        Compression.zstd().build(),
    };

    private CompactedLogs() {
    }

    /** A record as written or as read back: value null for a tombstone. */
    record Rec(long offset, long timestamp, String key, String value, List<Header> headers) {
    }

    /** A batch as read back from a segment file. */
    record Batch(long baseOffset, long lastOffset, int codec, long producerId, short producerEpoch, int baseSequence,
            boolean control, Long deleteHorizon, List<Rec> records) {
    }

    static ByteBuffer batch(long baseOffset, Compression compression, long producerId, short epoch, int sequence,
            List<Rec> records) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, baseOffset, RecordBatch.NO_TIMESTAMP, producerId, epoch, sequence, false, 0);
        for (Rec r : records) {
            builder.appendWithOffset(r.offset(), r.timestamp(), bytes(r.key()), bytes(r.value()),
                    r.headers().toArray(new Header[0]));
        }
        return builder.build().buffer();
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Header> headers(String value) {
        return List.of(new RecordHeader("h", bytes(value)));
    }

    /**
     * Appends {@code rounds} rounds writing every one of {@code keys} keys once (values
     * {@code v<round>-<key>}), {@code perBatch} records a batch, as producer {@code producerId}.
     *
     * @return every record written, in offset order
     */
    static List<Rec> writeRounds(PartitionLog log, int keys, int rounds, int perBatch, Compression compression,
            long producerId, int valueBytes) throws IOException {
        List<Rec> written = new ArrayList<>();
        List<Rec> pending = new ArrayList<>();
        int sequence = 0;
        char[] padding = new char[valueBytes];
        Arrays.fill(padding, 'x');
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                long offset = log.logEndOffset() + pending.size();
                String value = "v" + round + "-" + k + new String(padding);
                pending.add(new Rec(offset, T0 + offset, "key-" + k, value, headers("r" + round)));
                if (pending.size() == perBatch) {
                    log.append(batch(pending.get(0).offset(), compression, producerId, (short) (producerId >= 0 ? 1 : -1),
                            producerId >= 0 ? sequence : -1, pending));
                    sequence += pending.size();
                    written.addAll(pending);
                    pending.clear();
                }
            }
        }
        if (!pending.isEmpty()) {
            log.append(batch(pending.get(0).offset(), compression, producerId, (short) (producerId >= 0 ? 1 : -1),
                    producerId >= 0 ? sequence : -1, pending));
            written.addAll(pending);
        }
        return written;
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
        }
    }

    /** Every batch of every segment, through Kafka's FileRecords; each batch's CRC is checked. */
    static List<Batch> readBatches(Path dir) throws IOException {
        List<Batch> batches = new ArrayList<>();
        for (Path segment : segmentFiles(dir)) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (FileChannelRecordBatch batch : records.batches()) {
                    batch.ensureValid();
                    List<Rec> recs = new ArrayList<>();
                    for (Record record : batch) {
                        recs.add(new Rec(record.offset(), record.timestamp(),
                                record.key() == null ? null : new String(Utils.toArray(record.key()), StandardCharsets.UTF_8),
                                record.value() == null ? null : new String(Utils.toArray(record.value()), StandardCharsets.UTF_8),
                                Arrays.asList(record.headers())));
                    }
                    batches.add(new Batch(batch.baseOffset(), batch.lastOffset(), batch.compressionType().id,
                            batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.isControlBatch(),
                            batch.deleteHorizonMs().isPresent() ? batch.deleteHorizonMs().getAsLong() : null, recs));
                }
            }
        }
        return batches;
    }

    static List<Rec> records(List<Batch> batches) {
        List<Rec> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.records()));
        return all;
    }

    /** Every record the log serves, read through {@link PartitionLog#read} and parsed by kafka-clients. */
    static List<Rec> readThroughLog(PartitionLog log) throws IOException {
        List<Rec> all = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            var result = log.read(offset, 1 << 20, Long.MAX_VALUE);
            try {
                if (result.sizeInBytes() == 0) {
                    break;
                }
                for (RecordBatch batch : MemoryRecords.readableRecords(result.copyToHeap()).batches()) {
                    batch.ensureValid();
                    for (Record record : batch) {
                        all.add(new Rec(record.offset(), record.timestamp(),
                                record.key() == null ? null : new String(Utils.toArray(record.key()), StandardCharsets.UTF_8),
                                record.value() == null ? null : new String(Utils.toArray(record.value()), StandardCharsets.UTF_8),
                                Arrays.asList(record.headers())));
                    }
                }
                offset = result.nextOffset();
            } finally {
                result.release();
            }
        }
        return all;
    }
}
