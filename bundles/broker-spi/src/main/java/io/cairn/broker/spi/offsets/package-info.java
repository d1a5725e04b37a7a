/**
 * Consumer offset stores: where the offsets committed by consumer groups are kept.
 *
 * <p>Bundles register {@link io.cairn.broker.spi.offsets.OffsetStore} services with the property
 * {@code cairn.name}: {@code file} (a local write-ahead log, the single-broker default),
 * {@code topic} (the internal compacted topic {@code __consumer_offsets} in Kafka's key/value
 * format) and {@code zookeeper} (Kafka 0.8's {@code /consumers/<group>/offsets/<topic>/<partition>}).
 * The broker key {@code cairn.offsets.store} selects one; the group coordinator is the only caller.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li><b>Durability.</b> {@link io.cairn.broker.spi.offsets.OffsetStore#commit commit} and the
 * deletions return only once their effect survives a crash of the broker process (each store
 * documents its fsync policy). An exception means the call may or may not have taken effect; the
 * coordinator reports it to the client, which retries.</li>
 * <li><b>Atomicity.</b> One {@code commit} call is all-or-nothing across a crash: after restart
 * either every offset of the call is there or none is.</li>
 * <li><b>Replacement, not merge.</b> A commit replaces whatever the group had for those partitions,
 * including with a lower offset (a consumer may rewind). A store never compares offsets; ordering
 * is the coordinator's job. It keeps each {@link io.cairn.broker.spi.offsets.CommittedOffset}
 * exactly as given: offset, leader epoch, metadata and commit timestamp (retention is computed
 * from it, and a live store switch copies it unchanged).</li>
 * <li><b>Ordering.</b> The coordinator never has two calls for the same group in flight at once;
 * calls for different groups may run concurrently from several threads.</li>
 * <li><b>Lifecycle.</b> A store serves from the moment its service is registered until it is
 * unregistered, and it must still serve reads while the coordinator's unbind runs: the coordinator
 * copies every offset out of a store that is leaving (see {@code docs/consumer-groups.md}).</li>
 * </ul>
 *
 * <p>{@code io.cairn.broker.spi.offsets.tck.OffsetStoreContractTest} in this bundle's test jar
 * ({@code io.cairn:broker-spi:test-jar:tests}) checks these rules; every store extends it.
 *
 * <p>0.2.0: partition-level deletion ({@code delete}), {@link io.cairn.broker.spi.offsets.PartitionKey},
 * the written-down contract. No store existed before it.
 */
@Export
@Version("0.2.0")
package io.cairn.broker.spi.offsets;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
