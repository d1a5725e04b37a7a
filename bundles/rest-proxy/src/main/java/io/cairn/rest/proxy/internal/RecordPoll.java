package io.cairn.rest.proxy.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.broker.spi.offsets.PartitionKey;
import io.cairn.rest.proxy.internal.RecordBatchDecoder.CorruptBatchException;
import io.cairn.rest.proxy.internal.RecordBatchDecoder.DecodedRecord;
import io.cairn.storage.spi.LogReadResult;

/**
 * One {@code GET records} call of a {@link ConsumerInstance}: a long poll that never holds a
 * thread while it waits. Each attempt runs on the REST worker pool: wait for the group to settle,
 * resolve unknown positions (committed offset, else {@code auto.offset.reset}) and pending seeks,
 * then read every assigned partition from its position up to its high watermark through
 * {@link PartitionReplica#read} and decode the batches ({@link RecordBatchDecoder}). It answers
 * once it has {@code fetch.min.bytes} (default: any record) or the deadline passed; in between it
 * is woken by {@link PartitionReplica#onNewData}, by the end of a rebalance, and every
 * {@link #RECHECK_MS} (for partitions assigned while it waits).
 *
 * <p>A partition's position moves only when its records become part of the answer, and only if
 * nothing moved it meanwhile (a seek, a rebalance): records read for a partition that changed
 * hands in between are dropped, not returned.
 *
 * <p>Thread-safety: attempts of one poll are serialized ({@code synchronized}); wake-ups from any
 * thread only schedule an attempt.
 */
final class RecordPoll {

    private static final Logger LOG = LoggerFactory.getLogger(RecordPoll.class);

    /** How often a waiting poll looks again without being woken (e.g. for newly assigned partitions). */
    static final long RECHECK_MS = 250;
    /** At most this much is read from one partition per attempt (a larger first batch is still read whole). */
    static final int PARTITION_READ_BYTES = 1 << 20;

    /** A record as the REST API returns it; key and value already in the instance's format. */
    record Fetched(String topic, int partition, long offset, Object key, Object value) {
    }

    private final ConsumerInstance instance;
    private final long deadlineNanos;
    private final long maxBytes;
    private final int minBytes;
    private final CompletableFuture<List<Fetched>> result;
    private final Json json = new Json(Integer.MAX_VALUE, 512);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<Fetched> got = new ArrayList<>();
    private final Map<PartitionKey, AutoCloseable> listeners = new HashMap<>();
    private ScheduledFuture<?> recheck;
    private long bytes;

    RecordPoll(ConsumerInstance instance, long deadlineNanos, long maxBytes, CompletableFuture<List<Fetched>> result) {
        this.instance = instance;
        this.deadlineNanos = deadlineNanos;
        this.maxBytes = Math.max(1, maxBytes);
        this.minBytes = Math.max(1, instance.config.fetchMinBytes());
        this.result = result;
    }

    void start() {
        trigger();
    }

    private void trigger() {
        if (result.isDone() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            instance.workers.execute(this::run);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            fail(RestError.kafka("The REST proxy is stopping"));
        }
    }

    private synchronized void run() {
        scheduled.set(false);
        if (result.isDone()) {
            return;
        }
        try {
            attempt();
        } catch (RestError e) {
            fail(e);
        } catch (BrokerException e) {
            fail(RestError.kafka(e.error() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("REST consumer {}/{}: reading records failed", instance.config.group(), instance.config.name(), e);
            fail(RestError.kafka(e.toString()));
        }
    }

    private void attempt() {
        ConsumerInstance.ReadPlan plan = instance.plan();
        if (plan.gone()) {
            finish();
            return;
        }
        if (!plan.stable()) {
            if (plan.joinFailure().isPresent()) {
                BrokerException e = plan.joinFailure().get();
                fail(RestError.kafka(e.error() + ": the consumer cannot join group " + instance.config.group() + ": " + e.getMessage()));
                return;
            }
            if (expired()) {
                finish();
            } else {
                instance.joined().thenRun(this::trigger);
                recheckLater();
            }
            return;
        }
        PartitionPositions positions = instance.positions();
        PartitionPositions.Snapshot state = plan.positions();
        if (!state.unknown().isEmpty()) {
            instance.fetchCommitted(state.unknown()).whenComplete((committed, failure) -> {
                if (failure != null) {
                    Throwable cause = ConsumerInstance.unwrap(failure);
                    fail(cause instanceof BrokerException be ? RestError.kafka(be.error() + ": " + be.getMessage())
                            : RestError.kafka(cause.toString()));
                    return;
                }
                try {
                    positions.resolveCommitted(committed, instance.config.autoOffsetReset());
                } catch (RestError e) {
                    fail(e);
                    return;
                }
                trigger();
            });
            return;
        }
        if (!state.seeks().isEmpty()) {
            state.seeks().forEach((p, seek) -> {
                PartitionReplica replica = replica(p);
                if (replica != null) {
                    long offset = seek == PartitionPositions.Seek.BEGINNING ? replica.logStartOffset() : replica.highWatermark();
                    positions.resolveSeek(p, seek, offset);
                }
            });
            state = positions.snapshot();
        }
        boolean again = false;
        for (Map.Entry<PartitionKey, Long> e : state.positions().entrySet()) {
            if (!got.isEmpty() && bytes >= maxBytes) {
                break;
            }
            long position = e.getValue();
            if (position < 0 || state.seeks().containsKey(e.getKey())) {
                continue;
            }
            again |= read(e.getKey(), position, state.epoch());
        }
        if (again) {
            trigger();
            return;
        }
        if ((!got.isEmpty() && (bytes >= minBytes || bytes >= maxBytes)) || expired()) {
            finish();
            return;
        }
        for (PartitionKey p : state.positions().keySet()) {
            if (!listeners.containsKey(p)) {
                PartitionReplica replica = replica(p);
                if (replica != null) {
                    listeners.put(p, replica.onNewData(this::trigger));
                }
            }
        }
        recheckLater();
    }

    /** Reads one partition from {@code position}; returns whether the poll should look again at once (a reset). */
    private boolean read(PartitionKey p, long position, int epoch) {
        PartitionReplica replica = replica(p);
        if (replica == null) {
            return false;
        }
        long highWatermark = replica.highWatermark();
        if (position < replica.logStartOffset() || position > replica.logEndOffset()) {
            instance.positions().resetOutOfRange(p, position, instance.config.autoOffsetReset());
            return true;
        }
        if (position >= highWatermark) {
            return false;
        }
        LogReadResult region;
        try {
            int size = (int) Math.min(PARTITION_READ_BYTES, Math.max(1, maxBytes - bytes));
            region = replica.read(position, size, highWatermark);
        } catch (BrokerException e) {
            if (e.error() == BrokerError.OFFSET_OUT_OF_RANGE) {
                instance.positions().resetOutOfRange(p, position, instance.config.autoOffsetReset());
                return true;
            }
            throw e;
        }
        ByteBuffer batches;
        try {
            batches = region.copyToHeap();
        } catch (IOException e) {
            throw RestError.kafka("Reading " + p + " at offset " + position + " failed: " + e.getMessage());
        } finally {
            region.release();
        }
        RecordBatchDecoder.Decoded decoded;
        try {
            decoded = RecordBatchDecoder.decode(batches, position);
        } catch (CorruptBatchException e) {
            throw RestError.kafka("Partition " + p + ": " + e.getMessage());
        }
        List<Fetched> mine = new ArrayList<>();
        long added = 0;
        long next = position;
        boolean cut = false;
        for (DecodedRecord r : decoded.records()) {
            if (r.offset() >= highWatermark) {
                cut = true;
                break;
            }
            if ((!got.isEmpty() || !mine.isEmpty()) && bytes + added + r.size() > maxBytes) {
                cut = true;
                break;
            }
            Fetched f;
            try {
                f = new Fetched(p.topic(), p.partition(), r.offset(), render(r.key()), render(r.value()));
            } catch (Json.JsonException ex) {
                if (got.isEmpty() && mine.isEmpty()) {
                    throw RestError.kafka("Error deserializing the record at " + p + " offset " + r.offset()
                            + " as JSON (the instance's format is json): " + ex.getMessage());
                }
                cut = true; // return what came before; the next call fails on this record
                break;
            }
            mine.add(f);
            added += r.size();
            next = r.offset() + 1;
        }
        if (!cut) {
            // Past control batches and offset gaps too, but never past what consumers may see.
            next = Math.max(next, Math.min(decoded.nextOffset(), highWatermark));
        }
        if (next > position && instance.positions().advance(p, position, next, epoch)) {
            got.addAll(mine);
            bytes += added;
        }
        return false;
    }

    private Object render(byte[] bytes) throws Json.JsonException {
        if (bytes == null) {
            return Json.NULL;
        }
        if (instance.config.format() == ConsumerInstance.Format.BINARY) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return json.parse(bytes);
    }

    private PartitionReplica replica(PartitionKey p) {
        try {
            return instance.broker.partition(p.topic(), p.partition());
        } catch (BrokerException e) {
            if (e.error() == BrokerError.NOT_LEADER_OR_FOLLOWER && instance.firstTimeNotHosted(p)) {
                // The proxy reads through this broker's replicas only; a Kafka client would fetch from the leader.
                LOG.warn("REST consumer {}/{} holds {}, which this broker does not host: its records cannot be read here",
                        instance.config.group(), instance.config.name(), p);
            }
            // A deleted topic, or a partition hosted elsewhere: nothing to read now.
            LOG.trace("REST consumer {}/{}: {} not readable: {}", instance.config.group(), instance.config.name(), p, e.toString());
            return null;
        }
    }

    private boolean expired() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    private void recheckLater() {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        ScheduledExecutorService timer = instance.timer();
        if (recheck != null) {
            recheck.cancel(false);
        }
        try {
            recheck = timer.schedule(this::trigger, Math.max(1, Math.min(RECHECK_MS, left)), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            fail(RestError.kafka("The REST proxy is stopping"));
        }
    }

    private void finish() {
        cleanUp();
        result.complete(List.copyOf(got));
    }

    private void fail(RestError e) {
        cleanUp();
        if (!got.isEmpty()) {
            // Positions already moved past these: hand them out rather than lose them; the error comes next call.
            result.complete(List.copyOf(got));
        } else {
            result.completeExceptionally(e);
        }
    }

    private synchronized void cleanUp() {
        if (recheck != null) {
            recheck.cancel(false);
        }
        for (AutoCloseable c : listeners.values()) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.trace("Removing a new-data listener failed: {}", e.toString());
            }
        }
        listeners.clear();
    }
}
