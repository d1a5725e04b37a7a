package io.cairn.storage.spi;

import java.nio.channels.FileChannel;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A contiguous range of an open file: what the network layer needs to hand a read to
 * {@code sendfile} itself (for example through a Netty {@code DefaultFileRegion} subclass whose
 * {@code deallocate()} calls {@link LogReadResult#release()} instead of closing the channel).
 *
 * <p>The channel belongs to the engine: never close it. It stays open at least until the
 * {@link LogReadResult} it came from is released.
 *
 * @param channel the open file
 * @param position where the range starts in the file
 * @param count bytes in the range
 */
@ProviderType
public record FileSlice(FileChannel channel, long position, long count) {

    public FileSlice {
        Objects.requireNonNull(channel, "channel");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must be >= 0: " + position + " " + count);
        }
    }
}
