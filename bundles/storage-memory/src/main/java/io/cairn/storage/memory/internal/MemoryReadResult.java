package io.cairn.storage.memory.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

import io.cairn.storage.spi.LogReadResult;

/**
 * Batches read from a {@link MemoryLog}: read-only views of the stored heap buffers, which are
 * never changed once appended, so the region stays valid whatever happens to the log.
 *
 * <p>Not thread-safe: one result is used by one thread at a time, as the SPI says.
 */
final class MemoryReadResult implements LogReadResult {

    private final List<ByteBuffer> batches;
    private final long size;
    private final long firstOffset;
    private final long nextOffset;

    MemoryReadResult(List<ByteBuffer> batches, long firstOffset, long nextOffset) {
        this.batches = batches;
        this.size = batches.stream().mapToLong(ByteBuffer::remaining).sum();
        this.firstOffset = firstOffset;
        this.nextOffset = nextOffset;
    }

    static MemoryReadResult empty(long offset) {
        return new MemoryReadResult(List.of(), -1, offset);
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
    public long transferTo(WritableByteChannel target, long position, long count) throws IOException {
        if (position < 0 || count < 0 || position > size) {
            throw new IllegalArgumentException("position " + position + " count " + count + " size " + size);
        }
        long written = 0;
        long skip = position;
        for (ByteBuffer batch : batches) {
            if (written >= count) {
                break;
            }
            if (skip >= batch.remaining()) {
                skip -= batch.remaining();
                continue;
            }
            ByteBuffer part = batch.duplicate();
            part.position(part.position() + (int) skip);
            skip = 0;
            if (part.remaining() > count - written) {
                part.limit(part.position() + (int) (count - written));
            }
            int want = part.remaining();
            int n = target.write(part);
            written += n;
            if (n < want) {
                break; // the target is full for now
            }
        }
        return written;
    }

    @Override
    public void release() {
        // Heap buffers: nothing to free.
    }
}
