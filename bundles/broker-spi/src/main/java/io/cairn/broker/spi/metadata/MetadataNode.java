package io.cairn.broker.spi.metadata;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A node read from the metadata store.
 *
 * @param path the absolute path, e.g. {@code /brokers/ids/1}
 * @param data the node's bytes (Kafka's JSON documents in UTF-8); never {@code null}, may be empty
 * @param version the data version: 0 at creation, plus one on every write, as in ZooKeeper
 * @param ephemeral whether the node disappears with the session that created it
 */
@ProviderType
public record MetadataNode(String path, byte[] data, int version, boolean ephemeral) {
}
