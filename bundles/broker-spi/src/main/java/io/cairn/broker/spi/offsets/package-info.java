/**
 * Consumer offset stores: where the offsets committed by consumer groups are kept. Bundles
 * {@code file}, {@code zookeeper} (Kafka 0.8's {@code /consumers/<group>/offsets/<topic>/<partition>})
 * and {@code topic} (the internal {@code __consumer_offsets} topic) register
 * {@link io.cairn.broker.spi.offsets.OffsetStore} with the property {@code cairn.name}; the broker
 * key {@code cairn.offsets.store} selects one.
 *
 * <p>First cut, written by the foundation issue; the consumer-group issue completes it.
 */
@Export
@Version("0.1.0")
package io.cairn.broker.spi.offsets;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
