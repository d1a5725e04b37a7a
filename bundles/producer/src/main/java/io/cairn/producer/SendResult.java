package io.cairn.producer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a record was written.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in the partition
 * @param timestamp the record's timestamp as stored (create time)
 */
@ProviderType
public record SendResult(String topic, int partition, long offset, long timestamp) {
}
