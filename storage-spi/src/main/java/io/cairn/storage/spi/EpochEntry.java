package io.cairn.storage.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One line of a partition's leader-epoch history: from {@code startOffset} on, records were
 * written by the leader of {@code epoch} (Kafka's {@code EpochEntry}).
 *
 * @param epoch the leader epoch, zero or more
 * @param startOffset the first offset written in that epoch, zero or more
 */
@ProviderType
public record EpochEntry(int epoch, long startOffset) {

    public EpochEntry {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("epoch and start offset must be >= 0: " + epoch + " " + startOffset);
        }
    }
}
