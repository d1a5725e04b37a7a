package io.cairn.partitioner.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A partition of the topic being produced to.
 *
 * @param partition the partition number
 * @param leader the broker id of the current leader, or -1 if the partition has none (offline)
 */
@ProviderType
public record PartitionInfo(int partition, int leader) {

    /** Whether a leader is serving this partition now. */
    public boolean available() {
        return leader >= 0;
    }
}
