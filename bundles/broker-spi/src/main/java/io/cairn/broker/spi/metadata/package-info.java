/**
 * The metadata store: cluster coordination as a tree of versioned nodes, in the ZooKeeper layout
 * Kafka 2.x used ({@code /brokers/ids/<id>}, {@code /brokers/topics/<topic>}, {@code /controller}, …).
 *
 * <p>A {@link io.cairn.broker.spi.metadata.MetadataStore} is an OSGi service with the property
 * {@code cairn.name}: {@code standalone} (one broker, persisted to a local file) or
 * {@code zookeeper}. The broker key {@code cairn.metadata.store} selects it; its default is
 * {@code zookeeper} when {@code zookeeper.connect} is set and {@code standalone} otherwise. Because
 * the kernel writes the same tree through either, moving from one broker to a cluster swaps the
 * backend and not the kernel.
 */
@Export
@Version("0.1.0")
package io.cairn.broker.spi.metadata;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
