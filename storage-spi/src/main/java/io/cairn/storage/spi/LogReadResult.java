package io.cairn.storage.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Record batches read from a log: a region of whole v2 batches, in offset order, that the network
 * layer sends without copying it through the Java heap where the engine allows it (a file region
 * sent with {@code sendfile}).
 *
 * <p>Lifecycle: the region stays valid until {@link #release()}, even if the segment it points into
 * is deleted by retention meanwhile. The one exception is {@link PartitionLog#truncateTo}: bytes
 * truncated away cannot be sent, and {@link #transferTo} then fails with an {@link IOException}
 * (the caller drops the response, as for any failed send). Every result must be released; an empty
 * result holds nothing, and releasing it is a no-op.
 *
 * <p>Threading: a result is used by one thread at a time.
 */
@ConsumerType
public interface LogReadResult {

    /** Bytes in the region; zero when nothing is available at the requested offset. */
    long sizeInBytes();

    /** The base offset of the first batch in the region, or -1 when it is empty. */
    long firstOffset();

    /**
     * Where the next read should start: after the last batch in the region (its last offset plus
     * one, or where offsets have a gap, up to the base offset of the batch that follows). When
     * empty, the offset that was asked for.
     */
    long nextOffset();

    /**
     * Writes up to {@code count} bytes of the region, starting {@code position} bytes into it, to
     * {@code target}.
     *
     * @return the number of bytes written, possibly fewer than asked (a non-blocking target)
     * @throws IOException if the target fails, or the bytes were truncated away from the log
     */
    long transferTo(WritableByteChannel target, long position, long count) throws IOException;

    /**
     * The region as one range of an open file, when it is one, so that the network layer can call
     * {@code sendfile} itself; empty for engines that do not keep files.
     */
    default Optional<FileSlice> fileSlice() {
        return Optional.empty();
    }

    /** A heap copy of the whole region (for tests and in-process consumers; costs a copy). */
    default ByteBuffer copyToHeap() throws IOException {
        long size = sizeInBytes();
        if (size > Integer.MAX_VALUE) {
            throw new IOException("Region of " + size + " bytes does not fit in one buffer");
        }
        ByteBuffer copy = ByteBuffer.allocate((int) size);
        WritableByteChannel sink = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                copy.put(src);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        long done = 0;
        while (done < size) {
            long n = transferTo(sink, done, size - done);
            if (n <= 0) {
                throw new IOException("Region ended after " + done + " of " + size + " bytes");
            }
            done += n;
        }
        return copy.flip();
    }

    /** Frees what the region holds (a file reference, a buffer); idempotent. */
    void release();
}
