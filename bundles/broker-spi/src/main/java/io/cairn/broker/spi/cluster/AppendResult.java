package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The outcome of a successful append.
 *
 * @param baseOffset the offset of the first appended record (of the original append, for a
 *     duplicate)
 * @param lastOffset the offset of the last appended record
 * @param logAppendTime the broker's timestamp for {@code LogAppendTime} topics, else -1
 * @param logStartOffset the partition's log start offset after the append
 * @param duplicate whether the batch was a retry of one already appended (idempotent producer) and
 *     so was not written again
 */
@ProviderType
public record AppendResult(long baseOffset, long lastOffset, long logAppendTime, long logStartOffset,
        boolean duplicate) {
}
