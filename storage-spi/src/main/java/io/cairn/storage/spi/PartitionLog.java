package io.cairn.storage.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The ordered log of one partition: Kafka v2 record batches, kept as received, addressed by offset.
 *
 * <h2>Offsets</h2>
 * Offsets are assigned by the broker, never by the log: {@link #append} receives batches whose
 * base offset, last offset delta and partition leader epoch are already stamped. The log holds the
 * offsets {@code [logStartOffset, logEndOffset)}; the first batch may begin below the log start
 * (its earlier records are no longer served, but the batch is sent whole, as Kafka does).
 *
 * <h2>Threading and ordering</h2>
 * <ul>
 * <li><em>Writes</em> — {@link #append}, {@link #truncateTo}, {@link #advanceLogStart},
 *     {@link #enforceRetention}, {@link #assignEpochStartOffset}, {@link #updateConfig},
 *     {@link #close}, {@link #delete} — are serialised by the log: they may be called from any
 *     thread, and each takes effect atomically with respect to readers. The kernel calls them of
 *     one partition from one thread at a time (the partition's writer), which fixes their order.
 * <li><em>Reads</em> — {@link #read}, the offset and epoch getters, {@link #offsetForTimestamp},
 *     {@link #flush} — are safe from any thread at any time, concurrently with writes and with
 *     each other. A read sees a prefix of the log: every batch of an append that returned, none
 *     of an append that has not begun, and never part of a batch.
 * </ul>
 *
 * <h2>Exceptions</h2>
 * <ul>
 * <li>{@link IOException}: the storage failed. For a write, the log is as it was before the call
 *     as far as readers can tell (the log end offset did not move); the kernel should close the
 *     log and take the partition offline, as Kafka does with a failed log dir.
 * <li>{@link IllegalArgumentException}: the caller broke this contract (a malformed batch,
 *     offsets that go backwards, a negative epoch). Nothing was changed.
 * <li>{@link OffsetOutOfRangeException}: an offset outside {@code [logStartOffset, logEndOffset]}
 *     where the method needs one inside; Kafka's OFFSET_OUT_OF_RANGE.
 * <li>{@link IllegalStateException}: the log was closed.
 * </ul>
 *
 * <h2>Durability</h2>
 * What {@link #append} wrote survives a process crash (kill -9) once the call returns, because it is
 * in the operating system's page cache. It survives a power loss once {@link #flush} has returned
 * after it, or when {@link LogConfig#flushOnAck()} is set, once {@link #append} has returned. The
 * engine also flushes by itself as {@code flush.messages} and {@code flush.ms} say.
 */
@ConsumerType
public interface PartitionLog extends AutoCloseable {

    /** The partition this log holds. */
    TopicPartition topicPartition();

    /** The configuration in force. */
    LogConfig config();

    /**
     * Replaces the configuration (a topic's configuration was altered). Takes effect for the next
     * append, retention check and flush decision; existing segments are not rewritten.
     */
    void updateConfig(LogConfig config);

    /**
     * Appends record batches.
     *
     * <p>The engine checks the framing of every batch (magic 2, length within the buffer, offsets
     * increasing) but trusts the broker to have verified each CRC. The first batch's base offset
     * must be at least {@link #logEndOffset()}; a leader appends with no gap, a follower of a
     * compacted topic may leave gaps. Each batch whose partition leader epoch is above the latest
     * known epoch starts that epoch at its base offset, as {@link #assignEpochStartOffset} would.
     *
     * @param batches one or more whole v2 record batches, from position to limit; the buffer's
     *     position and content are not changed, and it may be reused once the call returns
     * @return the log end offset after the append
     * @throws IllegalArgumentException if a batch is malformed or its offsets go backwards
     * @throws IOException if the bytes could not be written; nothing of this call is visible then
     */
    long append(ByteBuffer batches) throws IOException;

    /**
     * Reads whole batches, starting with the one that holds the first offset at or after
     * {@code offset}.
     *
     * @param offset the first offset wanted, in {@code [logStartOffset, logEndOffset]}
     * @param maxBytes an upper bound on the region size
     * @param maxOffset the exclusive upper bound on offsets (the high watermark for consumers, the
     *     log end offset for followers): only batches whose last offset is below it are returned
     * @param minOneBatch whether the first batch is returned whole even if it is larger than
     *     {@code maxBytes}, so that a consumer always makes progress (Kafka does this for the first
     *     partition of a fetch response)
     * @return the region; empty when {@code offset} is the log end offset or not below {@code maxOffset}
     * @throws OffsetOutOfRangeException if {@code offset} is below the log start or above the end
     */
    LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException;

    /** {@link #read(long, int, long, boolean)} with the first batch always returned whole. */
    default LogReadResult read(long offset, int maxBytes, long maxOffset) throws IOException {
        return read(offset, maxBytes, maxOffset, true);
    }

    /** The first offset still served. */
    long logStartOffset();

    /** The offset the next appended record will get. */
    long logEndOffset();

    /** Bytes of record batches held (what retention.bytes is compared with). */
    long sizeInBytes();

    /**
     * Removes every batch that holds an offset at or after {@code offset}, so that the log end
     * offset becomes {@code offset} (a follower diverging from its leader). A batch that straddles
     * {@code offset} is removed whole, as Kafka does. Leader epochs starting at or after
     * {@code offset} are forgotten. Below the log start, the log is emptied and starts again at
     * {@code offset}. At or above the log end, nothing happens.
     */
    void truncateTo(long offset) throws IOException;

    /**
     * Makes {@code offset} the new log start (deleteRecords): offsets below it are no longer served
     * and storage that holds only them is freed. A no-op if {@code offset} is not above the
     * current log start.
     *
     * @throws OffsetOutOfRangeException if {@code offset} is above the log end offset
     */
    void advanceLogStart(long offset) throws IOException;

    /**
     * Applies retention by time and by size, deleting the oldest data: whole segments for the
     * segmented engine (whose newest record is older than {@code retention.ms}, and while the log
     * is larger than {@code retention.bytes}), as Kafka does. The log start offset moves to the
     * first offset still held.
     *
     * <p>The engine does not schedule this itself: the kernel calls it every
     * {@code log.retention.check.interval.ms} with its clock and the high watermark, so retention
     * happens in the partition's write order and tests can drive it with a fixed clock.
     *
     * @param nowMs the current time, milliseconds since the epoch
     * @param maxDeletableOffset nothing that holds an offset at or above this is deleted (the
     *     kernel passes the high watermark, so unreplicated data is never removed)
     * @return what was deleted
     */
    RetentionResult enforceRetention(long nowMs, long maxDeletableOffset) throws IOException;

    /**
     * The first record whose timestamp is at or after {@code timestamp}, as Kafka's ListOffsets
     * answers it; empty if no record's timestamp is that late. Within a compressed batch the
     * engine may answer with the batch's base offset (see
     * {@link BatchHeader#firstRecordAtOrAfter}), never with a later offset than the exact one.
     */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp) throws IOException;

    /**
     * Records that the leader of {@code epoch} starts writing at {@code startOffset}, with Kafka's
     * {@code LeaderEpochFileCache.assign} rules: epochs at or above {@code epoch} and entries
     * starting at or after {@code startOffset} are replaced; the same epoch with a later start
     * offset is a no-op. The history is durable when the call returns.
     *
     * @throws IllegalArgumentException if {@code epoch} or {@code startOffset} is negative
     */
    void assignEpochStartOffset(int epoch, long startOffset) throws IOException;

    /** The latest leader epoch in the history, if any. */
    OptionalInt latestEpoch();

    /**
     * Where {@code epoch} ended, as Kafka's {@code LeaderEpochFileCache.endOffsetFor}: for the
     * latest epoch, the log end offset; for an earlier known epoch, the start of the next epoch;
     * for an unknown epoch between two known ones, the largest known epoch below it and its end;
     * for an epoch below the first known, the first known start offset with the epoch asked;
     * above the latest, or with no history, {@link EpochEndOffset#UNDEFINED}.
     */
    EpochEndOffset endOffsetForEpoch(int epoch);

    /** The whole leader-epoch history, oldest first. */
    List<EpochEntry> epochEntries();

    /** Forces everything appended so far to stable storage. */
    void flush() throws IOException;

    /**
     * Flushes, writes what the next open needs to start without recovery, and releases the log.
     * Idempotent; every other call fails with {@link IllegalStateException} afterwards. Regions
     * read before stay valid until released.
     */
    @Override
    void close() throws IOException;

    /** Closes the log and removes everything it keeps (the topic was deleted). Idempotent. */
    void delete() throws IOException;
}
