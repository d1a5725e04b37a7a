package io.cairn.storage.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to Kafka's OffsetsForLeaderEpoch for one partition: the largest epoch at or below the
 * one asked for that this log knows, and the offset where it ended (the start of the next epoch,
 * or the log end offset for the latest epoch).
 *
 * @param epoch the epoch found, or {@link #UNDEFINED_EPOCH}
 * @param endOffset the exclusive end offset of that epoch, or {@link #UNDEFINED_OFFSET}
 */
@ProviderType
public record EpochEndOffset(int epoch, long endOffset) {

    /** Kafka's {@code UNDEFINED_EPOCH}. */
    public static final int UNDEFINED_EPOCH = -1;
    /** Kafka's {@code UNDEFINED_EPOCH_OFFSET}. */
    public static final long UNDEFINED_OFFSET = -1L;
    /** The answer when the log knows nothing about the epoch asked for. */
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);
}
