package io.cairn.protocol.kafka.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import io.cairn.broker.spi.cluster.AppendResult;
import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.storage.spi.FileSlice;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.TimestampOffset;

/**
 * A hosted partition for tests, standing in for the kernel's: batches appended to a temporary file
 * with offsets, leader epoch and LogAppendTime stamped, a simple idempotent-producer check (the last
 * five batches per producer; duplicates answered with their first offsets; gaps refused), the high
 * watermark at the log end, and reads returned as regions of the file — with a {@link FileSlice}
 * (the {@code sendfile} path) or without (the {@code transferTo} path). Every region handed out is
 * counted until released, so tests can assert that the protocol bundle releases what it reads.
 */
final class MemoryReplica implements PartitionReplica {

    private record Entry(long baseOffset, long lastOffset, long position, int size, long maxTimestamp) {
    }

    private record SentBatch(int firstSequence, int lastSequence, long baseOffset, long lastOffset) {
    }

    private static final class ProducerState {
        short epoch;
        final List<SentBatch> recent = new ArrayList<>();
    }

    private final String topic;
    private final int partition;
    private final int leaderEpoch;
    private final Supplier<Map<String, String>> config;
    private final boolean fileSlices;
    private final AtomicInteger openRegions;
    private final FileChannel file;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Long, ProducerState> producers = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long logStart;
    private long logEnd;
    private long bytes;

    MemoryReplica(String topic, int partition, int leaderEpoch, Supplier<Map<String, String>> config,
            boolean fileSlices, AtomicInteger openRegions) {
        this.topic = topic;
        this.partition = partition;
        this.leaderEpoch = leaderEpoch;
        this.config = config;
        this.fileSlices = fileSlices;
        this.openRegions = openRegions;
        try {
            Path path = Files.createTempFile("cairn-test-" + topic + "-" + partition, ".log");
            path.toFile().deleteOnExit();
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public int leaderEpoch() {
        return leaderEpoch;
    }

    @Override
    public synchronized long logStartOffset() {
        return logStart;
    }

    @Override
    public synchronized long logEndOffset() {
        return logEnd;
    }

    @Override
    public synchronized long highWatermark() {
        return logEnd;
    }

    @Override
    public CompletionStage<AppendResult> append(ByteBuffer batches, short acks, long timeoutMs) {
        if (acks != 0 && acks != 1 && acks != -1) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.INVALID_REQUIRED_ACKS, "acks " + acks));
        }
        AppendResult result;
        try {
            result = appendLocked(batches);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!result.duplicate()) {
            listeners.forEach(Runnable::run);
        }
        return CompletableFuture.completedFuture(result);
    }

    private synchronized AppendResult appendLocked(ByteBuffer batches) {
        MemoryRecords records = MemoryRecords.readableRecords(batches);
        long first = -1;
        long last = -1;
        long appendTime = -1;
        for (MutableRecordBatch batch : records.batches()) {
            int count = batch.countOrNull();
            if (batch.hasProducerId()) {
                ProducerState state = producers.computeIfAbsent(batch.producerId(), id -> new ProducerState());
                if (batch.producerEpoch() < state.epoch) {
                    throw new BrokerException(BrokerError.INVALID_PRODUCER_EPOCH, "fenced epoch " + batch.producerEpoch());
                }
                if (batch.producerEpoch() > state.epoch) {
                    state.epoch = batch.producerEpoch();
                    state.recent.clear();
                }
                for (SentBatch sent : state.recent) {
                    if (sent.firstSequence() == batch.baseSequence() && sent.lastSequence() == batch.lastSequence()) {
                        return new AppendResult(sent.baseOffset(), sent.lastOffset(), -1, logStart, true);
                    }
                }
                int expected = state.recent.isEmpty() ? 0 : state.recent.get(state.recent.size() - 1).lastSequence() + 1;
                if (batch.baseSequence() != expected) {
                    throw new BrokerException(BrokerError.OUT_OF_ORDER_SEQUENCE_NUMBER, "expected sequence "
                            + expected + ", got " + batch.baseSequence());
                }
                state.recent.add(new SentBatch(batch.baseSequence(), batch.lastSequence(), logEnd, logEnd + count - 1));
                if (state.recent.size() > 5) {
                    state.recent.remove(0);
                }
            }
            batch.setLastOffset(logEnd + count - 1);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            long maxTimestamp = batch.maxTimestamp();
            if ("LogAppendTime".equals(config.get().get("message.timestamp.type"))) {
                appendTime = System.currentTimeMillis();
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, appendTime);
                maxTimestamp = appendTime;
            }
            ByteBuffer bytesOfBatch = ByteBuffer.allocate(batch.sizeInBytes());
            batch.writeTo(bytesOfBatch);
            bytesOfBatch.flip();
            try {
                long position = bytes;
                while (bytesOfBatch.hasRemaining()) {
                    bytes += file.write(bytesOfBatch, bytes);
                }
                entries.add(new Entry(logEnd, logEnd + count - 1, position, batch.sizeInBytes(), maxTimestamp));
            } catch (IOException e) {
                throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, e.toString(), e);
            }
            if (first < 0) {
                first = logEnd;
            }
            last = logEnd + count - 1;
            logEnd += count;
        }
        return new AppendResult(first, last, appendTime, logStart, false);
    }

    @Override
    public synchronized LogReadResult read(long offset, int maxBytes, long maxOffset) {
        if (offset < logStart || offset > logEnd) {
            throw new BrokerException(BrokerError.OFFSET_OUT_OF_RANGE, "offset " + offset + " outside [" + logStart
                    + ", " + logEnd + "]");
        }
        long start = -1;
        long firstOffset = -1;
        long next = offset;
        int size = 0;
        for (Entry entry : entries) {
            if (entry.lastOffset() < offset || entry.lastOffset() < logStart) {
                continue;
            }
            if (entry.baseOffset() >= maxOffset || (size > 0 && size + entry.size() > maxBytes)) {
                break;
            }
            if (start < 0) {
                start = entry.position();
                firstOffset = entry.baseOffset();
            }
            size += entry.size();
            next = entry.lastOffset() + 1;
        }
        return size == 0 ? new Region(-1, 0, -1, offset) : new Region(start, size, firstOffset, next);
    }

    /** A region of the log file; counted open until released. */
    private final class Region implements LogReadResult {
        private final long position;
        private final long size;
        private final long firstOffset;
        private final long nextOffset;
        private boolean released;

        Region(long position, long size, long firstOffset, long nextOffset) {
            this.position = position;
            this.size = size;
            this.firstOffset = firstOffset;
            this.nextOffset = nextOffset;
            if (size > 0) {
                openRegions.incrementAndGet();
            }
        }

        @Override
        public long sizeInBytes() {
            return size;
        }

        @Override
        public long firstOffset() {
            return firstOffset;
        }

        @Override
        public long nextOffset() {
            return nextOffset;
        }

        @Override
        public long transferTo(WritableByteChannel target, long offsetInRegion, long count) throws IOException {
            long n = Math.min(count, size - offsetInRegion);
            return file.transferTo(position + offsetInRegion, n, target);
        }

        @Override
        public Optional<FileSlice> fileSlice() {
            return fileSlices && size > 0 ? Optional.of(new FileSlice(file, position, size)) : Optional.empty();
        }

        @Override
        public synchronized void release() {
            if (!released && size > 0) {
                released = true;
                openRegions.decrementAndGet();
            }
        }
    }

    @Override
    public synchronized Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        for (Entry entry : entries) {
            if (entry.lastOffset() >= logStart && entry.maxTimestamp() >= timestamp) {
                for (Record record : batchAt(entry)) {
                    long recordTimestamp = effectiveTimestamp(entry, record);
                    if (record.offset() >= logStart && recordTimestamp >= timestamp) {
                        return Optional.of(new TimestampOffset(recordTimestamp, record.offset()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<TimestampOffset> maxTimestamp() {
        Entry best = null;
        for (Entry entry : entries) {
            if (entry.lastOffset() >= logStart && (best == null || entry.maxTimestamp() > best.maxTimestamp())) {
                best = entry;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        for (Record record : batchAt(best)) {
            if (effectiveTimestamp(best, record) == best.maxTimestamp()) {
                return Optional.of(new TimestampOffset(best.maxTimestamp(), record.offset()));
            }
        }
        return Optional.of(new TimestampOffset(best.maxTimestamp(), best.lastOffset()));
    }

    private static long effectiveTimestamp(Entry entry, Record record) {
        return record.timestamp() == RecordBatch.NO_TIMESTAMP ? entry.maxTimestamp() : record.timestamp();
    }

    /** The records of one stored batch, as kafka-clients reads them back: the oracle for what was stored. */
    synchronized List<Record> batchAt(Entry entry) {
        List<Record> records = new ArrayList<>();
        storedBatch(entry).forEach(records::add);
        return records;
    }

    private RecordBatch storedBatch(Entry entry) {
        ByteBuffer buffer = ByteBuffer.allocate(entry.size());
        try {
            file.read(buffer, entry.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MemoryRecords.readableRecords(buffer.flip()).batches().iterator().next();
    }

    /** Every stored batch, in offset order, read back with kafka-clients. */
    synchronized List<RecordBatch> storedBatches() {
        return entries.stream().map(this::storedBatch).toList();
    }

    @Override
    public synchronized long deleteRecordsBefore(long offset) {
        long target = offset == -1 ? logEnd : offset;
        if (target < 0 || target > logEnd) {
            throw new BrokerException(BrokerError.OFFSET_OUT_OF_RANGE, "offset " + offset);
        }
        logStart = Math.max(logStart, target);
        return logStart;
    }

    @Override
    public AutoCloseable onNewData(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Listeners currently registered (long-polling fetches). */
    int listenerCount() {
        return listeners.size();
    }

    @Override
    public Map<String, String> config() {
        return config.get();
    }

    @Override
    public synchronized long sizeInBytes() {
        return bytes;
    }

    void close() {
        try {
            file.close();
        } catch (IOException e) {
            // temp file, deleted on close or exit
        }
    }
}
