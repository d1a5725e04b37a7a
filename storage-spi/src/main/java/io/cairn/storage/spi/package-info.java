/**
 * The storage engine contract: how a partition's records are kept.
 *
 * <p>A {@link io.cairn.storage.spi.StorageEngine} is an OSGi service registered with the service
 * property {@code cairn.name} (for example {@code segmented} or {@code memory}). The kernel opens
 * one {@link io.cairn.storage.spi.PartitionLog} per hosted partition through the engine selected by
 * the topic configuration {@code cairn.storage.engine} (broker default in
 * {@code server.properties}).
 *
 * <p>Records travel through this SPI as Kafka v2 record batches in their wire and on-disk form
 * ({@link java.nio.ByteBuffer}s), already validated by the broker and stamped with base offset and
 * leader epoch. No Kafka or Netty type appears in any signature: an engine needs nothing but the JDK
 * and this package.
 *
 * <p>Threading: the kernel calls {@code append}, {@code truncateTo} and {@code advanceLogStart} of
 * one partition from one thread at a time (the partition's writer); {@code read} and the offset
 * getters may be called concurrently with them and with each other from any thread.
 *
 * <p>This is the first cut, written by the foundation issue; the storage issue completes it.
 */
@Export
@Version("0.1.0")
package io.cairn.storage.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
