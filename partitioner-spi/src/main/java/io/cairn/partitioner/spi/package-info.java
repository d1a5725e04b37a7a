/**
 * The partitioner contract: which partition a record goes to, wherever Cairn itself chooses it.
 *
 * <p>In the Kafka protocol the client picks the partition. Cairn picks it on its own paths: the
 * HTTP produce endpoint, the in-process producer service for other bundles, the console tools, and
 * a {@code partitioner.class} adapter that runs these plugins inside a plain Java producer. On all
 * of them the partitioner selected by the topic configuration {@code cairn.partitioner} decides.
 *
 * <p>A {@link io.cairn.partitioner.spi.Partitioner} is an OSGi service registered with the property
 * {@code cairn.name} ({@code explicit}, {@code keyhash}, {@code roundrobin}, or an integrator's
 * own). It sees only this package's types and the JDK.
 *
 * <p>This is the first cut, written by the foundation issue; the partitioner issue completes it.
 */
@Export
@Version("0.1.0")
package io.cairn.partitioner.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
