/**
 * The partitioner contract: which partition a record goes to, wherever Cairn itself chooses it.
 *
 * <p>In the Kafka protocol the client picks the partition. Cairn picks it on its own paths: the
 * HTTP produce endpoint, the in-process producer service for other bundles, the console tools, and
 * a {@code partitioner.class} adapter that runs these plugins inside a plain Java producer. On all
 * of them the partitioner selected by the topic configuration {@code cairn.partitioner} (broker
 * default in {@code server.properties}) decides.
 *
 * <p>A {@link io.cairn.partitioner.spi.Partitioner} is an OSGi service registered with the service
 * property {@code cairn.name} ({@code explicit}, {@code keyhash}, {@code roundrobin}, or an
 * integrator's own). It sees only this package's types and the JDK: no Kafka or Netty type appears
 * in any signature. The caller describes each record as a
 * {@link io.cairn.partitioner.spi.PartitionRequest} (built with
 * {@link io.cairn.partitioner.spi.PartitionRequest#builder(String, java.util.List)}) and gets a
 * partition number back.
 *
 * <p>The rules every partitioner keeps, checked by the contract test:
 * <ul>
 * <li><b>Range.</b> The answer is in {@code [0, partitionCount)}.</li>
 * <li><b>The producer's choice wins.</b> A record that names a partition goes there; a named
 * partition outside the topic is refused with {@link io.cairn.partitioner.spi.PartitionerException}
 * (use {@link io.cairn.partitioner.spi.PartitionerException#noSuchPartition(String, int, int)}).</li>
 * <li><b>Threads.</b> Calls come concurrently from many threads; partitioners are thread-safe and
 * never block (no I/O, no locks held for long): they run on request-handling threads.</li>
 * <li><b>Stable placement.</b> A partitioner that places by some part of the record (the key, a
 * header) gives the same answer for the same part and partition count, whatever the leaders, the
 * other fields, the thread or the instance — that keeps one key's records in order. Such placement
 * ignores whether the partition has a leader, as Kafka's producer does; the caller waits for the
 * leader. Only spreading (round-robin) may prefer partitions with a leader.</li>
 * <li><b>Errors.</b> {@link io.cairn.partitioner.spi.PartitionerException} means "this record
 * cannot be placed"; the caller refuses the record with the exception's message and does not
 * retry. Any other exception is a bug in the partitioner, reported as a server error.</li>
 * </ul>
 *
 * <p>Lifecycle: partitioner services come and go at runtime (a bundle dropped into or removed from
 * {@code deploy/}). While the partitioner a topic names is missing, the broker holds that topic's
 * produce calls for a bounded time waiting for it to come back or be replaced, then fails them with
 * a clear error; it never falls back to another partitioner, which would scatter keys.
 *
 * <p>{@link io.cairn.partitioner.spi.Murmur2} is Kafka's key hash, for partitioners that want to
 * place a key (or a value derived from the record) where Kafka's clients would.
 *
 * <p>The contract test every partitioner should pass is
 * {@code io.cairn.partitioner.spi.tck.PartitionerContract} in the
 * {@code io.cairn:partitioner-spi:tests} test jar.
 *
 * <p>Version history: 0.1.0 was the foundation's first cut. 0.2.0 completes it: the rules above,
 * {@code PartitionRequest.builder}, {@code availablePartitions()} and {@code lastHeader(String)},
 * fresh buffer views on every call, {@code Murmur2}, {@code PartitionInfo.NO_LEADER}, and
 * {@code PartitionerException}'s cause and factories.
 */
@Export
@Version("0.2.0")
package io.cairn.partitioner.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
