package io.cairn.kernel.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.ack.AckOutcome;
import io.cairn.broker.spi.ack.AckStrategy;
import io.cairn.broker.spi.ack.ProduceProgress;
import io.cairn.broker.spi.cluster.AppendResult;
import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.OffsetOutOfRangeException;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TimestampOffset;

/**
 * A partition this broker leads: the write path from validated producer batches to the storage
 * engine, and the read path for consumers.
 *
 * <p>Appends are serialized by a lock: offsets are assigned, the leader epoch (and, for
 * {@code LogAppendTime} topics, the broker's clock with a recomputed CRC-32C) is written into each
 * batch header, idempotent-producer rules are applied, and the batches go to the log. The in-sync
 * set is the leader alone until replication exists, so the high watermark follows the log end and
 * {@code acks=all} is complete once appended (and flushed, where the topic asks for it), unless
 * {@code min.insync.replicas} exceeds the in-sync set.
 *
 * <p>Thread-safe: appends under {@code this}; reads and offset getters lock-free on the log.
 */
final class HostedPartition implements PartitionReplica {

    private static final Logger LOG = LoggerFactory.getLogger(HostedPartition.class);

    /** Attribute bit of a v2 batch: timestamps are the broker's append time. */
    private static final short LOG_APPEND_TIME_FLAG = 0x08;
    private static final int MAX_TIMESTAMP_OFFSET = 35;
    private static final int CRC_OFFSET = 17;

    /** Finds ack strategies by name, waiting a bounded time for a missing one. */
    interface AckStrategies {
        AckStrategy get(String name);
    }

    private final String topic;
    private final int partition;
    private final int leaderEpoch;
    private final PartitionLog log;
    private final AckStrategies ackStrategies;
    private final LongSupplier clock;
    private final ProducerStates producers = new ProducerStates();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, String> config;
    private volatile long highWatermark;

    HostedPartition(String topic, int partition, int leaderEpoch, PartitionLog log, Map<String, String> config,
            AckStrategies ackStrategies, LongSupplier clock) {
        this.topic = topic;
        this.partition = partition;
        this.leaderEpoch = leaderEpoch;
        this.log = log;
        this.config = Map.copyOf(config);
        this.ackStrategies = ackStrategies;
        this.clock = clock;
        this.highWatermark = log.logEndOffset();
    }

    PartitionLog log() {
        return log;
    }

    void updateConfig(Map<String, String> effective) {
        this.config = Map.copyOf(effective);
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
    public long logStartOffset() {
        return log.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return log.logEndOffset();
    }

    @Override
    public long highWatermark() {
        return highWatermark;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public long sizeInBytes() {
        return log.sizeInBytes();
    }

    @Override
    public CompletionStage<AppendResult> append(ByteBuffer batches, short acks, long timeoutMs) {
        try {
            AckStrategy strategy = ackStrategies.get(strategyName(acks));
            Progress before = new Progress(acks, false, 0, false);
            AckOutcome early = strategy.evaluate(before);
            if (early == AckOutcome.NOT_ENOUGH_REPLICAS) {
                throw new BrokerException(BrokerError.NOT_ENOUGH_REPLICAS, "The number of in-sync replicas (1) is lower than "
                        + "min.insync.replicas (" + minInsync() + ") of " + topic + "-" + partition);
            }
            AppendResult result = appendLocked(batches);
            boolean flushed = false;
            if (strategy.requiresFlush() || Boolean.parseBoolean(config.get("cairn.flush.on.ack"))) {
                log.flush();
                flushed = true;
            }
            AckOutcome outcome = strategy.evaluate(new Progress(acks, true, result.lastOffset() + 1, flushed));
            return switch (outcome) {
                case COMPLETE -> CompletableFuture.completedFuture(result);
                case NOT_ENOUGH_REPLICAS_AFTER_APPEND -> CompletableFuture.failedFuture(new BrokerException(
                        BrokerError.NOT_ENOUGH_REPLICAS_AFTER_APPEND, "In-sync replicas shrank below min.insync.replicas"));
                case NOT_ENOUGH_REPLICAS -> CompletableFuture.failedFuture(new BrokerException(
                        BrokerError.NOT_ENOUGH_REPLICAS, "Not enough in-sync replicas"));
                // Without followers nothing can make progress later: a pending strategy times out.
                case PENDING -> CompletableFuture.failedFuture(new BrokerException(BrokerError.REQUEST_TIMED_OUT,
                        "Ack strategy still waiting after the append; no replica can make progress"));
            };
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IOException e) {
            LOG.error("Append to {}-{} failed", topic, partition, e);
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.KAFKA_STORAGE_ERROR,
                    "Could not write " + topic + "-" + partition + ": " + e.getMessage(), e));
        }
    }

    private String strategyName(short acks) {
        return switch (acks) {
            case 0 -> "none";
            case 1 -> config.getOrDefault("cairn.acks.1.strategy", "leader");
            case -1 -> config.getOrDefault("cairn.acks.all.strategy", "isr");
            default -> throw new BrokerException(BrokerError.INVALID_REQUIRED_ACKS, "acks must be 0, 1 or -1, was " + acks);
        };
    }

    private int minInsync() {
        return Integer.parseInt(config.getOrDefault("min.insync.replicas", "1"));
    }

    private synchronized AppendResult appendLocked(ByteBuffer input) throws IOException {
        ByteBuffer buf = input.slice().order(ByteOrder.BIG_ENDIAN);
        List<BatchHeader> headers = producerBatches(buf);
        if (headers.isEmpty()) {
            throw new BrokerException(BrokerError.CORRUPT_MESSAGE, "No record batch in the produce request");
        }
        boolean logAppendTime = "LogAppendTime".equals(config.get("message.timestamp.type"));
        long now = clock.getAsLong();
        long next = log.logEndOffset();
        long first = next;
        int position = 0;
        List<Runnable> afterAppend = new ArrayList<>();
        for (BatchHeader h : headers) {
            int count = h.lastOffsetDelta() + 1;
            if (h.producerId() >= 0) {
                int lastSeq = h.baseSequence() + h.lastOffsetDelta();
                Optional<ProducerStates.Appended> dup = producers.check(h.producerId(), h.producerEpoch(), h.baseSequence(),
                        lastSeq);
                if (dup.isPresent()) {
                    if (headers.size() > 1) {
                        throw new BrokerException(BrokerError.DUPLICATE_SEQUENCE_NUMBER,
                                "Duplicate batch inside a multi-batch append");
                    }
                    return new AppendResult(dup.get().firstOffset(), dup.get().lastOffset(), -1, log.logStartOffset(), true);
                }
                ProducerStates.Appended appended = new ProducerStates.Appended(h.baseSequence(), lastSeq, next,
                        next + count - 1);
                long pid = h.producerId();
                short epoch = h.producerEpoch();
                afterAppend.add(() -> producers.appended(pid, epoch, appended));
            }
            buf.putLong(position, next);
            buf.putInt(position + BatchHeader.PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
            if (logAppendTime) {
                short attributes = buf.getShort(position + BatchHeader.ATTRIBUTES_OFFSET);
                buf.putShort(position + BatchHeader.ATTRIBUTES_OFFSET, (short) (attributes | LOG_APPEND_TIME_FLAG));
                buf.putLong(position + MAX_TIMESTAMP_OFFSET, now);
                CRC32C crc = new CRC32C();
                ByteBuffer covered = buf.duplicate().position(position + BatchHeader.ATTRIBUTES_OFFSET)
                        .limit(position + h.sizeInBytes());
                crc.update(covered);
                buf.putInt(position + CRC_OFFSET, (int) crc.getValue());
            }
            next += count;
            position += h.sizeInBytes();
        }
        log.append(buf.duplicate().position(0).limit(position));
        afterAppend.forEach(Runnable::run);
        highWatermark = log.logEndOffset();
        listeners.forEach(HostedPartition::notifyQuietly);
        return new AppendResult(first, next - 1, logAppendTime ? now : -1, log.logStartOffset(), false);
    }

    /**
     * The headers of a producer's batches. Unlike a log's, their base offsets are the producer's
     * own (usually 0) and are about to be replaced, so only the framing is checked here.
     */
    private static List<BatchHeader> producerBatches(ByteBuffer buf) {
        List<BatchHeader> headers = new ArrayList<>();
        int position = 0;
        while (position < buf.limit()) {
            int remaining = buf.limit() - position;
            if (remaining < BatchHeader.HEADER_SIZE) {
                throw new BrokerException(BrokerError.CORRUPT_MESSAGE, remaining + " trailing bytes are not a batch");
            }
            BatchHeader h = BatchHeader.read(buf, position);
            String problem = h.problem(remaining);
            if (problem != null) {
                throw new BrokerException(BrokerError.CORRUPT_MESSAGE, "Batch at position " + position + ": " + problem);
            }
            headers.add(h);
            position += h.sizeInBytes();
        }
        return headers;
    }

    private static void notifyQuietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("New-data listener failed", e);
        }
    }

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset) {
        try {
            return log.read(offset, maxBytes, Math.min(maxOffset, log.logEndOffset()));
        } catch (OffsetOutOfRangeException e) {
            throw new BrokerException(BrokerError.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is out of range for "
                    + topic + "-" + partition + " [" + log.logStartOffset() + ", " + log.logEndOffset() + "]");
        } catch (IOException e) {
            throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, "Could not read " + topic + "-" + partition, e);
        }
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        try {
            return log.offsetForTimestamp(timestamp).filter(t -> t.offset() < highWatermark);
        } catch (IOException e) {
            throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, "Could not search " + topic + "-" + partition, e);
        }
    }

    @Override
    public Optional<TimestampOffset> maxTimestamp() {
        // Scan batch headers below the high watermark: exact, and cheap next to the record data.
        TimestampOffset best = null;
        long offset = log.logStartOffset();
        long end = highWatermark;
        while (offset < end) {
            LogReadResult r = read(offset, 1 << 20, end);
            try {
                if (r.sizeInBytes() == 0) {
                    break;
                }
                ByteBuffer bytes = r.copyToHeap();
                for (BatchHeader h : BatchHeader.readAll(bytes, Long.MIN_VALUE)) {
                    if (best == null || h.maxTimestamp() > best.timestamp()) {
                        best = new TimestampOffset(h.maxTimestamp(), h.lastOffset());
                    }
                    offset = h.nextOffset();
                }
            } catch (IOException e) {
                throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, "Could not scan " + topic + "-" + partition, e);
            } finally {
                r.release();
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public synchronized long deleteRecordsBefore(long offset) {
        long target = offset == -1 ? highWatermark : offset;
        if (target < 0 || target > highWatermark) {
            throw new BrokerException(BrokerError.OFFSET_OUT_OF_RANGE, "Cannot delete records before " + offset
                    + ": the high watermark of " + topic + "-" + partition + " is " + highWatermark);
        }
        try {
            if (target > log.logStartOffset()) {
                log.advanceLogStart(target);
            }
            return log.logStartOffset();
        } catch (IOException e) {
            throw new BrokerException(BrokerError.KAFKA_STORAGE_ERROR, "Could not delete records of " + topic + "-"
                    + partition, e);
        }
    }

    @Override
    public AutoCloseable onNewData(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Applies retention: whole segments past {@code retention.ms}/{@code retention.bytes}. */
    synchronized void enforceRetention(long now) throws IOException {
        log.enforceRetention(now, highWatermark);
    }

    synchronized void close() throws IOException {
        log.close();
    }

    /** What the ack strategy sees: one in-sync replica, the leader. */
    private final class Progress implements ProduceProgress {
        private final short acks;
        private final boolean appended;
        private final long required;
        private final boolean flushed;

        Progress(short acks, boolean appended, long required, boolean flushed) {
            this.acks = acks;
            this.appended = appended;
            this.required = required;
            this.flushed = flushed;
        }

        @Override
        public short acks() {
            return acks;
        }

        @Override
        public boolean appended() {
            return appended;
        }

        @Override
        public long requiredOffset() {
            return required;
        }

        @Override
        public int inSyncReplicas() {
            return 1;
        }

        @Override
        public int replicasCaughtUp() {
            return appended ? 1 : 0;
        }

        @Override
        public int minInsyncReplicas() {
            return minInsync();
        }

        @Override
        public boolean flushed() {
            return flushed;
        }
    }
}
