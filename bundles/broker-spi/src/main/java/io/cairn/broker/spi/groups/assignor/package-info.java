/**
 * Server-side partition assignors for consumer (KIP-848) groups: what the group coordinator calls
 * to place a group's subscribed partitions on its members whenever the group epoch moves
 * (members join or leave, subscriptions change, subscribed topics gain partitions).
 *
 * <p>An assignor is an OSGi service implementing
 * {@link io.cairn.broker.spi.groups.assignor.PartitionAssignor}, registered with the property
 * {@value io.cairn.broker.spi.groups.assignor.PartitionAssignor#NAME_PROPERTY} (its name, the one
 * {@code group.consumer.assignors} lists and a client picks with {@code group.remote.assignor}).
 * Cairn ships {@code uniform} (balanced and sticky) and {@code range} (contiguous ranges per
 * topic, co-partitioned) in the {@code io.cairn.group.assignors} bundle.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li><b>Complete.</b> Every partition of a topic in {@link io.cairn.broker.spi.groups.assignor.GroupSpec#topics()}
 * that at least one member subscribes to goes to exactly one member that subscribes to it;
 * partitions of topics nobody subscribes to go to nobody; every member of the spec appears in the
 * result (with nothing, if it gets nothing).</li>
 * <li><b>Pure.</b> The result depends only on the spec: same spec, same assignment. An assignor
 * keeps no state between calls; a member's current target assignment is in the spec, for
 * assignors that want to be sticky.</li>
 * <li><b>Threading.</b> Called with the group's lock held, from any coordinator thread, possibly
 * for several groups at once: it must be thread-safe, fast, and must not block or call back
 * into the coordinator.</li>
 * <li><b>Errors.</b> An assignor that cannot assign throws
 * {@link io.cairn.broker.spi.groups.assignor.PartitionAssignorException}; the coordinator keeps
 * the previous target assignment and tries again on the next heartbeat.</li>
 * <li><b>Swap.</b> The coordinator looks an assignor up by name at each computation: a service
 * with a higher {@code service.ranking} under the same name takes over from the next computation.
 * While the named assignor is missing a heartbeat that needs it waits up to
 * {@code cairn.plugin.wait.ms}, then fails with {@code COORDINATOR_NOT_AVAILABLE}.</li>
 * </ul>
 *
 * <p>The contract test {@code io.cairn.broker.spi.groups.assignor.tck.PartitionAssignorContractTest}
 * ships in {@code io.cairn:broker-spi:test-jar:tests}.
 */
@Export
@Version("0.1.0")
package io.cairn.broker.spi.groups.assignor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
