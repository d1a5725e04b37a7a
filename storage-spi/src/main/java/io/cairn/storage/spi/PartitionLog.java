package io.cairn.storage.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The ordered log of one partition.
 *
 * <p>Offsets are assigned by the broker, never by the log: {@link #append} receives Kafka v2
 * record batches whose base offset, last offset delta and partition leader epoch are already set,
 * and whose base offset equals {@link #logEndOffset()}.
 *
 * <p>Threading: writes ({@link #append}, {@link #truncateTo}, {@link #advanceLogStart},
 * {@link #close}) come from one thread at a time; reads and the offset getters are safe from any
 * thread at any time, concurrently with writes.
 */
@ConsumerType
public interface PartitionLog extends AutoCloseable {

    /**
     * Appends record batches.
     *
     * @param batches one or more whole v2 record batches, stamped with offsets; position to limit
     * @throws IllegalArgumentException if the first base offset is not the log end offset
     * @throws IOException if the bytes could not be written; nothing of this call is visible then
     */
    void append(ByteBuffer batches) throws IOException;

    /**
     * Reads whole batches starting with the one that contains {@code offset}.
     *
     * @param offset the first offset wanted; at least {@link #logStartOffset()}
     * @param maxBytes an upper bound on the region size, except that the first batch is returned
     *     whole even if larger (as Kafka does, so that a consumer always makes progress)
     * @param maxOffset the exclusive upper bound (the high watermark for consumers)
     * @throws OffsetOutOfRangeException if {@code offset} is below the log start or above the end
     */
    LogReadResult read(long offset, int maxBytes, long maxOffset) throws IOException;

    /** The first offset still held. */
    long logStartOffset();

    /** The offset the next appended record will get. */
    long logEndOffset();

    /** Removes every record at or after {@code offset} (a follower diverging from its leader). */
    void truncateTo(long offset) throws IOException;

    /** Makes {@code offset} the new log start, deleting what lies wholly before it. */
    void advanceLogStart(long offset) throws IOException;

    /**
     * The first offset whose record timestamp is at or after {@code timestamp}, as Kafka's
     * ListOffsets answers it; empty if no such record exists.
     */
    OptionalLong offsetForTimestamp(long timestamp) throws IOException;

    /** Forces everything appended so far to stable storage. */
    void flush() throws IOException;

    /** Flushes and releases the log; further calls fail with {@link IllegalStateException}. */
    @Override
    void close() throws IOException;
}
