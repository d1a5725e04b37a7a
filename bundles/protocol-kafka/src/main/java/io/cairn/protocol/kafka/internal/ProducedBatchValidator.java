package io.cairn.protocol.kafka.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * The front end's half of produce validation (the kernel does offsets, epochs, idempotence): one
 * partition's records from a produce request, checked as Kafka 4's broker checks them
 * ({@code ProduceRequest.validateRecords}, {@code UnifiedLog.analyzeAndValidateRecords},
 * {@code LogValidator}), with Kafka's error codes and messages:
 * <ol>
 * <li>framing: exactly one whole batch, magic 2 ({@code INVALID_RECORD}); an unreadable batch
 * header or a magic above 2 is {@code CORRUPT_MESSAGE}; zstd before produce v7 is
 * {@code UNSUPPORTED_COMPRESSION_TYPE}; bytes after the batch too few to be another one are
 * dropped, as Kafka trims them;</li>
 * <li>base offset 0, consistent offset range and record count, no control batch, a sequence with
 * every producer id ({@code INVALID_RECORD});</li>
 * <li>the batch size against {@code max.message.bytes} ({@code MESSAGE_TOO_LARGE});</li>
 * <li>the CRC-32C ({@code CORRUPT_MESSAGE});</li>
 * <li>every record, decompressed: readable ({@code INVALID_RECORD} / {@code CORRUPT_MESSAGE}),
 * keyed on a compacted topic ({@code INVALID_RECORD} with the record's index), timestamps within
 * the topic's bounds and, on a LogAppendTime topic, not LogAppendTime from a producer
 * ({@code INVALID_TIMESTAMP}; on a CreateTime topic such a batch is stored as CreateTime, as Kafka
 * does);</li>
 * <li>recompression: if the topic's {@code compression.type} names a codec other than the
 * batch's, the batch is rebuilt in that codec, keeping producer id, epoch, sequence, timestamps,
 * keys, values and headers; the rebuilt batch is size-checked again. A batch whose records'
 * offset deltas are not 0..n-1 is rebuilt too, as Kafka rewrites such batches.</li>
 * </ol>
 *
 * <p>Thread-safety: stateless.
 */
final class ProducedBatchValidator {

    /** Kafka shows at most this many record errors in the partition's error message. */
    private static final int ERRORS_IN_MESSAGE = 3;

    /**
     * The outcome for one partition: either a batch to append, or an error.
     *
     * @param batch the batch to append (the request's bytes or a rebuilt batch), or {@code null}
     * @param error {@code NONE}, or why the records were refused
     * @param message the error message, or {@code null}
     * @param recordErrors the records at fault, by index in the batch (possibly empty)
     */
    record Outcome(ByteBuffer batch, Errors error, String message, List<BatchIndexAndErrorMessage> recordErrors) {

        static Outcome refused(Errors error, String message) {
            return new Outcome(null, error, message, List.of());
        }

        boolean accepted() {
            return error == Errors.NONE;
        }
    }

    private ProducedBatchValidator() {
    }

    /**
     * Validates {@code records}, produced with a request of {@code version} to {@code partition}
     * (for messages) whose topic has {@code rules}, at broker time {@code now}.
     */
    static Outcome validate(MemoryRecords records, short version, String partition, TopicRules rules, long now) {
        if (records == null) {
            return Outcome.refused(Errors.INVALID_RECORD, "Produce requests with version " + version
                    + " must have at least one record batch per partition");
        }
        MutableRecordBatch batch;
        try {
            Iterator<MutableRecordBatch> batches = records.batches().iterator();
            if (!batches.hasNext()) {
                return Outcome.refused(Errors.INVALID_RECORD, "Produce requests with version " + version
                        + " must have at least one record batch per partition");
            }
            batch = batches.next();
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                return Outcome.refused(Errors.INVALID_RECORD, "Produce requests with version " + version
                        + " are only allowed to contain record batches with magic version 2");
            }
            if (version < 7 && batch.compressionType() == CompressionType.ZSTD) {
                return Outcome.refused(Errors.UNSUPPORTED_COMPRESSION_TYPE, "Produce requests with version "
                        + version + " are not allowed to use ZStandard compression");
            }
            if (batches.hasNext()) {
                return Outcome.refused(Errors.INVALID_RECORD, "Produce requests with version " + version
                        + " are only allowed to contain exactly one record batch per partition");
            }
        } catch (RuntimeException e) {
            return Outcome.refused(errorOf(e), e.getMessage());
        }
        Outcome header = checkHeader(batch, partition, rules);
        if (header != null) {
            return header;
        }
        return checkRecords(records, batch, partition, rules, now);
    }

    private static Outcome checkHeader(MutableRecordBatch batch, String partition, TopicRules rules) {
        if (batch.baseOffset() != 0) {
            return Outcome.refused(Errors.INVALID_RECORD, "The baseOffset of the record batch in the append to "
                    + partition + " should be 0, but it is " + batch.baseOffset());
        }
        if (batch.sizeInBytes() > rules.maxMessageBytes()) {
            return tooLarge(partition, batch.sizeInBytes(), rules);
        }
        if (!batch.isValid()) {
            return Outcome.refused(Errors.CORRUPT_MESSAGE, "Record is corrupt (stored crc = " + batch.checksum()
                    + ") in topic partition " + partition + ".");
        }
        long countFromOffsets = batch.lastOffset() - batch.baseOffset() + 1;
        Integer count = batch.countOrNull();
        if (countFromOffsets <= 0 || count == null || count <= 0 || countFromOffsets != count) {
            return Outcome.refused(Errors.INVALID_RECORD, "Inconsistent batch offset range [" + batch.baseOffset()
                    + ", " + batch.lastOffset() + "] and count of records " + count + " in topic partition "
                    + partition);
        }
        if (batch.isControlBatch()) {
            return Outcome.refused(Errors.INVALID_RECORD,
                    "Clients are not allowed to write control records in topic partition " + partition);
        }
        if (batch.hasProducerId() && batch.baseSequence() < 0) {
            return Outcome.refused(Errors.INVALID_RECORD, "Invalid sequence number " + batch.baseSequence()
                    + " in record batch with producerId " + batch.producerId() + " in topic partition " + partition);
        }
        return null;
    }

    private static Outcome checkRecords(MemoryRecords request, MutableRecordBatch batch, String partition,
            TopicRules rules, long now) {
        boolean recompress = rules.targetCompression() != null && rules.targetCompression() != batch.compressionType();
        boolean needKeys = rules.compacted() || recompress;
        List<Record> kept = recompress ? new ArrayList<>(batch.countOrNull()) : null;
        List<BatchIndexAndErrorMessage> recordErrors = new ArrayList<>(0);
        boolean timestampError = false;
        boolean offsetsInOrder = true;
        int index = 0;
        try (CloseableIterator<Record> records = needKeys ? batch.streamingIterator(BufferSupplier.NO_CACHING)
                : batch.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            while (records.hasNext()) {
                Record record = records.next();
                offsetsInOrder &= record.offset() == batch.baseOffset() + index;
                if (rules.compacted() && !record.hasKey()) {
                    recordErrors.add(recordError(index, "Compacted topic cannot accept message without key in "
                            + "topic partition " + partition));
                } else {
                    String timestampProblem = timestampProblem(batch, record, rules, now);
                    if (timestampProblem != null) {
                        timestampError = true;
                        recordErrors.add(recordError(index, timestampProblem));
                    }
                }
                if (kept != null) {
                    kept.add(record);
                }
                index++;
            }
        } catch (RuntimeException e) {
            return Outcome.refused(errorOf(e), e.getMessage());
        }
        if (!recordErrors.isEmpty()) {
            return recordsRefused(recordErrors, timestampError);
        }
        ByteBuffer accepted = bytesOf(request, batch);
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME && rules.timestampType() == TimestampType.CREATE_TIME) {
            // Kafka accepts this on a CreateTime topic and stores the batch as CreateTime (its
            // in-place path rewrites the attributes); so does this, before the kernel sees it.
            batch.setMaxTimestamp(TimestampType.CREATE_TIME, batch.maxTimestamp());
        }
        if (recompress || !offsetsInOrder) {
            CompressionType codec = recompress ? rules.targetCompression() : batch.compressionType();
            ByteBuffer rebuilt = rebuild(batch, kept != null ? kept : readAll(batch), codec, rules);
            if (rebuilt.remaining() > rules.maxMessageBytes()) {
                return tooLarge(partition, rebuilt.remaining(), rules);
            }
            accepted = rebuilt;
        }
        return new Outcome(accepted, Errors.NONE, null, List.of());
    }

    /** Kafka's {@code LogValidator.validateTimestamp}: a problem description, or {@code null}. */
    private static String timestampProblem(RecordBatch batch, Record record, TopicRules rules, long now) {
        if (rules.timestampType() == TimestampType.CREATE_TIME && record.timestamp() != RecordBatch.NO_TIMESTAMP) {
            long timestamp = record.timestamp();
            boolean tooOld = rules.timestampBeforeMaxMs() != Long.MAX_VALUE
                    && timestamp < now - rules.timestampBeforeMaxMs();
            boolean tooNew = rules.timestampAfterMaxMs() != Long.MAX_VALUE
                    && timestamp > now + rules.timestampAfterMaxMs();
            if (tooOld || tooNew) {
                return "Timestamp " + timestamp + " of message with offset " + record.offset()
                        + " is out of range. The timestamp should be within [" + (now - rules.timestampBeforeMaxMs())
                        + ", " + (now + rules.timestampAfterMaxMs()) + "]";
            }
        } else if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return "Invalid timestamp type in message " + record
                    + ". Producer should not set timestamp type to LogAppendTime.";
        }
        return null;
    }

    /** Kafka's {@code LogValidator.processRecordErrors}. */
    private static Outcome recordsRefused(List<BatchIndexAndErrorMessage> recordErrors, boolean timestampError) {
        if (timestampError) {
            return new Outcome(null, Errors.INVALID_TIMESTAMP,
                    "One or more records have been rejected due to invalid timestamp", recordErrors);
        }
        List<String> shown = recordErrors.subList(0, Math.min(recordErrors.size(), ERRORS_IN_MESSAGE)).stream()
                .map(e -> "RecordError(batchIndex=" + e.batchIndex() + ", message='" + e.batchIndexErrorMessage()
                        + "')")
                .toList();
        return new Outcome(null, Errors.INVALID_RECORD, "One or more records have been rejected due to "
                + recordErrors.size() + " record errors in total, and only showing the first three errors at most: "
                + shown, recordErrors);
    }

    private static BatchIndexAndErrorMessage recordError(int index, String message) {
        return new BatchIndexAndErrorMessage().setBatchIndex(index).setBatchIndexErrorMessage(message);
    }

    private static Outcome tooLarge(String partition, int size, TopicRules rules) {
        return Outcome.refused(Errors.MESSAGE_TOO_LARGE, "The record batch size in the append to " + partition
                + " is " + size + " bytes which exceeds the maximum configured value of " + rules.maxMessageBytes()
                + ".");
    }

    /**
     * The bytes of exactly {@code batch}, the request's only batch, without what may trail it: a view
     * of the request's records, which the decoder already copied out of the frame for this
     * partition alone.
     */
    private static ByteBuffer bytesOf(MemoryRecords request, MutableRecordBatch batch) {
        ByteBuffer bytes = request.buffer();
        bytes.limit(bytes.position() + batch.sizeInBytes());
        return bytes.slice();
    }

    private static List<Record> readAll(MutableRecordBatch batch) {
        List<Record> records = new ArrayList<>(batch.countOrNull());
        try (CloseableIterator<Record> it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
            it.forEachRemaining(records::add);
        }
        return records;
    }

    /** {@code records} as one new batch in {@code codec}, with the original batch's producer state. */
    private static ByteBuffer rebuild(MutableRecordBatch batch, List<Record> records, CompressionType codec,
            TopicRules rules) {
        Compression compression = codec == rules.targetCompression()
                ? rules.compression() : Compression.of(codec).build();
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(ByteBuffer.allocate(Math.max(256, batch.sizeInBytes())),
                RecordBatch.MAGIC_VALUE_V2, compression, batch.timestampType(), 0L, RecordBatch.NO_TIMESTAMP,
                batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.isTransactional(), false,
                batch.partitionLeaderEpoch(), Integer.MAX_VALUE);
        long offset = 0;
        for (Record record : records) {
            builder.appendWithOffset(offset++, record.timestamp(), record.key(), record.value(), record.headers());
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built).flip();
        return copy;
    }

    private static Errors errorOf(RuntimeException e) {
        // Kafka answers its own record exceptions by their codes (CorruptRecordException,
        // InvalidRecordException); a codec failure while decompressing is corrupt input too.
        return e instanceof ApiException api ? Errors.forException(api) : Errors.CORRUPT_MESSAGE;
    }
}
