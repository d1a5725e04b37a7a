/**
 * Consumer groups: the coordinator service a Kafka front end calls for FindCoordinator,
 * JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups,
 * DescribeGroups, DeleteGroups and OffsetDelete (the classic protocol), and, since 0.2.0, for
 * ConsumerGroupHeartbeat and ConsumerGroupDescribe (the consumer protocol of KIP-848, whose
 * partitions a server-side {@link io.cairn.broker.spi.groups.assignor.PartitionAssignor} places).
 *
 * <p>{@link io.cairn.broker.spi.groups.GroupCoordinator} is registered by the
 * {@code io.cairn.group.coordinator} bundle, configured from the broker's PID {@code io.cairn.broker}
 * with Kafka's keys ({@code group.initial.rebalance.delay.ms}, {@code group.min.session.timeout.ms},
 * {@code group.max.session.timeout.ms}, {@code group.max.size}, {@code offsets.retention.minutes},
 * {@code offsets.retention.check.interval.ms}, {@code offset.metadata.max.bytes},
 * {@code group.consumer.heartbeat.interval.ms}, {@code group.consumer.session.timeout.ms},
 * {@code group.consumer.assignors}, {@code group.consumer.max.size}) and
 * {@code cairn.offsets.store}, which picks the {@link io.cairn.broker.spi.offsets.OffsetStore}.
 *
 * <p>Classic and consumer groups share one namespace of group ids: an id is either kind at a time.
 * A consumer group's members, epochs and assignments are Cairn types
 * ({@link io.cairn.broker.spi.groups.TopicPartitions} names topics by id, as the wire does);
 * OffsetCommit and OffsetFetch carry a consumer group member's epoch where a classic member puts
 * its generation.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li><b>Types.</b> Cairn's own records; no {@code org.apache.kafka} or {@code io.netty} type.
 * Protocol metadata and assignments are opaque {@code byte[]}s passed through untouched, so every
 * client-side assignor (range, round-robin, sticky, cooperative-sticky, Connect's) works.
 * Absent values are {@link java.util.Optional}s; a new member's id is the empty string, as on the
 * wire.</li>
 * <li><b>Errors.</b> Named by Kafka's error names
 * ({@link io.cairn.broker.spi.cluster.BrokerError}); a front end maps them by name. A failure of a
 * whole request completes the stage exceptionally with a
 * {@link io.cairn.broker.spi.cluster.BrokerException}; batched requests carry per-item errors in
 * their results, as their Kafka responses do.</li>
 * <li><b>Waiting.</b> JoinGroup and SyncGroup complete later (when the rebalance completes, or its
 * timeout passes); everything else completes as soon as its offset store call is done. A call that
 * needs the offset store while the selected store is missing waits up to
 * {@code cairn.plugin.wait.ms} and then fails with {@code COORDINATOR_NOT_AVAILABLE}, which clients
 * retry. Nothing waits without bound.</li>
 * <li><b>Threading.</b> Every method may be called from any thread at any time; stages complete on
 * coordinator threads or the caller's, never while a coordinator lock is held.</li>
 * <li><b>Disconnects.</b> The coordinator has no notion of connections: a member that goes away is
 * removed when its session times out, or when it leaves.</li>
 * </ul>
 */
@Export
@Version("0.2.0")
package io.cairn.broker.spi.groups;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
