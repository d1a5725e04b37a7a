package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

import io.cairn.storage.spi.FileSlice;
import io.cairn.storage.spi.LogReadResult;

/**
 * Whole batches of one segment, sent from the file with {@code FileChannel.transferTo}, which is
 * {@code sendfile} when the target is a socket. Holds a reference on the segment's channel until
 * released, so retention may delete the segment meanwhile.
 *
 * <p>Not thread-safe: used by one thread at a time, as the SPI says.
 */
final class FileRegionReadResult implements LogReadResult {

    private final SharedChannel channel;
    private final long position;
    private final long size;
    private final long firstOffset;
    private final long nextOffset;
    private boolean released;

    /** Nothing to send: the read found no batch within its limits at {@code offset}. */
    static FileRegionReadResult empty(long offset) {
        return new FileRegionReadResult(null, 0, 0, -1, offset);
    }

    FileRegionReadResult(SharedChannel channel, long position, long size, long firstOffset, long nextOffset) {
        this.channel = channel;
        this.position = position;
        this.size = size;
        this.firstOffset = firstOffset;
        this.nextOffset = nextOffset;
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
        if (released) {
            throw new IllegalStateException("Region already released");
        }
        if (offsetInRegion < 0 || count < 0 || offsetInRegion > size) {
            throw new IllegalArgumentException("position " + offsetInRegion + " count " + count + " size " + size);
        }
        long wanted = Math.min(count, size - offsetInRegion);
        if (wanted == 0 || channel == null) {
            return 0;
        }
        long written = channel.channel().transferTo(position + offsetInRegion, wanted, target);
        if (written == 0 && channel.channel().size() < position + offsetInRegion + wanted) {
            throw new IOException("The log was truncated under a read region (" + (position + offsetInRegion) + ")");
        }
        return written;
    }

    @Override
    public Optional<FileSlice> fileSlice() {
        return released || channel == null ? Optional.empty() : Optional.of(new FileSlice(channel.channel(), position, size));
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            if (channel != null) {
                channel.release();
            }
        }
    }
}
