package io.cairn.storage.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A record's timestamp and offset: the answer to "which offset has this timestamp" (ListOffsets).
 *
 * @param timestamp the record's timestamp in milliseconds since the epoch
 * @param offset the record's offset
 */
@ProviderType
public record TimestampOffset(long timestamp, long offset) {
}
