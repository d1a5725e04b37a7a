package io.cairn.storage.spi;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Record batches read from a log: a region that the network layer sends without copying it
 * through the Java heap where the engine allows (a file region, {@code sendfile}).
 *
 * <p>The region holds whole batches only. It stays valid until it has been transferred or
 * {@link #release() released}, even if the segment it points into is deleted meanwhile.
 */
@ConsumerType
public interface LogReadResult {

    /** Bytes in the region; zero when nothing is available at the requested offset. */
    long sizeInBytes();

    /**
     * Writes {@code count} bytes of the region, starting {@code position} bytes into it, to
     * {@code target}.
     *
     * @return the number of bytes written, possibly fewer than asked
     */
    long transferTo(WritableByteChannel target, long position, long count) throws IOException;

    /** Frees what the region holds (a file handle reference, a buffer); idempotent. */
    void release();
}
