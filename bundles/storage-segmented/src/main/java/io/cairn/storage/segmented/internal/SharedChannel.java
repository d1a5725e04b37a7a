package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment's file channel with a reference count, so that a region handed to the network layer
 * keeps the file open after retention deleted the segment (on Linux an open, unlinked file stays
 * readable). The segment holds one reference; each read region holds one more.
 *
 * <p>Thread-safe.
 */
final class SharedChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SharedChannel.class);

    private final FileChannel channel;
    private final AtomicInteger references = new AtomicInteger(1);

    SharedChannel(FileChannel channel) {
        this.channel = channel;
    }

    FileChannel channel() {
        return channel;
    }

    /** Takes a reference; false if the channel has already been closed. */
    boolean retain() {
        while (true) {
            int current = references.get();
            if (current <= 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the channel. */
    void release() {
        if (references.decrementAndGet() == 0) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Closing a segment file failed", e);
            }
        }
    }
}
