/**
 * The storage engine contract: how a partition's records are kept.
 *
 * <p>A {@link io.cairn.storage.spi.StorageEngine} is an OSGi service registered with the service
 * property {@code cairn.name} (for example {@code segmented} or {@code memory}). The kernel opens
 * one {@link io.cairn.storage.spi.PartitionLog} per hosted partition through the engine selected by
 * the topic configuration {@code cairn.storage.engine} (broker default in
 * {@code server.properties}), with the partition's effective {@link io.cairn.storage.spi.LogConfig}.
 *
 * <p>Records travel through this SPI as Kafka v2 record batches in their wire and on-disk form
 * ({@link java.nio.ByteBuffer}s), already validated by the broker and stamped with base offset and
 * leader epoch; reads come back as a {@link io.cairn.storage.spi.LogReadResult}, a region the
 * network layer sends without copying. No Kafka or Netty type appears in any signature: an engine
 * needs nothing but the JDK and this package. {@link io.cairn.storage.spi.BatchHeader} reads batch
 * headers and {@link io.cairn.storage.spi.LeaderEpochHistory} keeps Kafka's leader-epoch rules, so
 * that every engine answers alike.
 *
 * <p>Threading: the kernel calls the writes of one partition ({@code append}, {@code truncateTo},
 * {@code advanceLogStart}, {@code enforceRetention}, {@code assignEpochStartOffset}) from one
 * thread at a time, the partition's writer; logs serialise them anyway. {@code read}, the offset
 * getters and {@code flush} may be called concurrently with them and with each other from any
 * thread. {@link io.cairn.storage.spi.PartitionLog} spells out ordering, durability and what each
 * exception means.
 *
 * <p>Retention is driven by the kernel: it calls
 * {@link io.cairn.storage.spi.PartitionLog#enforceRetention(long, long)} every
 * {@code log.retention.check.interval.ms}. Flushing by {@code flush.messages}/{@code flush.ms} and
 * the per-topic {@code cairn.flush.on.ack} are the engine's own business.
 *
 * <p>The contract test every engine should pass is {@code io.cairn.storage.spi.tck.PartitionLogContract}
 * in the {@code io.cairn:storage-spi:tests} test jar.
 *
 * <p>Version history: 0.1.0 was the foundation's first cut; 0.2.0 completes it (read bounds and
 * region offsets, leader epochs, retention, timestamps, configuration updates, deletion; LogConfig
 * became a class).
 */
@Export
@Version("0.3.0")
package io.cairn.storage.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
