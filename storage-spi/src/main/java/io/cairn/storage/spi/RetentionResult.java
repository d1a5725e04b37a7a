package io.cairn.storage.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What one {@link PartitionLog#enforceRetention(long, long)} call removed.
 *
 * @param segmentsDeleted whole segments (or, for engines without segments, batches) removed
 * @param bytesDeleted bytes of record batches removed
 * @param logStartOffset the log start offset afterwards
 */
@ProviderType
public record RetentionResult(int segmentsDeleted, long bytesDeleted, long logStartOffset) {
}
