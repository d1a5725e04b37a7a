package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An idempotent producer's identity, as InitProducerId hands it out.
 *
 * @param producerId the producer id, unique in the cluster
 * @param producerEpoch the epoch, 0 for a new id
 */
@ProviderType
public record ProducerIdentity(long producerId, short producerEpoch) {
}
