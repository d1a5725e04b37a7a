package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * OffsetCommit, OffsetFetch, OffsetDelete and offset retention: validated against the group's
 * membership as Kafka does, and carried out on the selected offset store, one call at a time per
 * group (so a group's commits land in the order they were accepted and a fetch sees every commit
 * acknowledged before it).
 *
 * <p>Thread-safe.
 */
final class GroupOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(GroupOffsets.class);

    private final ClassicGroups groups;
    private final ConsumerGroups consumerGroups;
    private final SelectedOffsetStore store;
    private final GroupStrands strands;
    private final Scheduler scheduler;
    private final Supplier<CoordinatorConfig> config;

    GroupOffsets(ClassicGroups groups, ConsumerGroups consumerGroups, SelectedOffsetStore store, GroupStrands strands,
            Scheduler scheduler, Supplier<CoordinatorConfig> config) {
        this.groups = groups;
        this.consumerGroups = consumerGroups;
        this.store = store;
        this.strands = strands;
        this.scheduler = scheduler;
        this.config = config;
    }

    CompletableFuture<List<PartitionResult>> commit(OffsetCommitRequest r) {
        if (r.groupId() == null) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.INVALID_GROUP_ID, "No group id"));
        }
        BrokerError rejected = validateCommit(r);
        if (rejected != null) {
            return CompletableFuture.completedFuture(r.offsets().stream()
                    .map(o -> new PartitionResult(o.topic(), o.partition(), Optional.of(rejected))).toList());
        }
        long now = scheduler.nowMs();
        int maxMetadata = config.get().offsetMetadataMaxBytes();
        List<CommittedOffset> valid = new ArrayList<>();
        for (OffsetCommit o : r.offsets()) {
            String metadata = o.metadata() == null ? "" : o.metadata();
            if (metadata.length() <= maxMetadata) {
                valid.add(new CommittedOffset(o.topic(), o.partition(), o.offset(), o.leaderEpoch(), metadata, now));
            }
        }
        CompletableFuture<Void> stored = valid.isEmpty() ? CompletableFuture.completedFuture(null)
                : strands.submit(r.groupId(), () -> store.call(s -> {
                    s.commit(r.groupId(), valid);
                    return null;
                }));
        return stored.handle((ok, failure) -> {
            Optional<BrokerError> storeError = failure == null ? Optional.empty() : Optional.of(errorOf(failure));
            if (failure != null) {
                LOG.debug("Offset commit of group {} failed", r.groupId(), failure);
            }
            List<PartitionResult> results = new ArrayList<>();
            for (OffsetCommit o : r.offsets()) {
                boolean tooLarge = o.metadata() != null && o.metadata().length() > maxMetadata;
                results.add(new PartitionResult(o.topic(), o.partition(),
                        tooLarge ? Optional.of(BrokerError.OFFSET_METADATA_TOO_LARGE) : storeError));
            }
            return results;
        });
    }

    /** Kafka's {@code validateOffsetCommit} and the state rules of {@code doCommitOffsets}; {@code null} if accepted. */
    private BrokerError validateCommit(OffsetCommitRequest r) {
        Optional<ConsumerGroup> consumerGroup = consumerGroups.find(r.groupId());
        if (consumerGroup.isPresent()) {
            return validateMember(consumerGroup.get(), Optional.of(r.memberId()), r.generationIdOrMemberEpoch());
        }
        Optional<ClassicGroup> found = groups.find(r.groupId());
        if (found.isEmpty()) {
            // No group: a client that keeps offsets only (generation -1) may commit.
            return r.generationIdOrMemberEpoch() < 0 ? null : BrokerError.ILLEGAL_GENERATION;
        }
        ClassicGroup group = found.get();
        return ClassicGroups.locked(group, d -> {
            if (group.is(GroupState.DEAD)) {
                return BrokerError.COORDINATOR_NOT_AVAILABLE;
            }
            if (r.generationIdOrMemberEpoch() >= 0 || !r.memberId().isEmpty() || r.groupInstanceId().isPresent()) {
                BrokerException invalid = ClassicGroups.validateCurrentMember(group, r.memberId(), r.groupInstanceId());
                if (invalid != null) {
                    return invalid.error();
                }
                if (r.generationIdOrMemberEpoch() != group.generationId) {
                    return BrokerError.ILLEGAL_GENERATION;
                }
            } else if (!group.is(GroupState.EMPTY)) {
                // Only members may commit while the group has members.
                return BrokerError.UNKNOWN_MEMBER_ID;
            }
            switch (group.state) {
                case STABLE, PREPARING_REBALANCE -> {
                    // A commit counts as a sign of life; the next heartbeat tells of a rebalance.
                    groups.rebalancer().renewSession(group, group.get(r.memberId()));
                    return null;
                }
                case COMPLETING_REBALANCE -> {
                    return BrokerError.REBALANCE_IN_PROGRESS;
                }
                default -> {
                    return null;
                }
            }
        });
    }

    /**
     * Kafka's {@code ConsumerGroup.validateOffsetCommit}/{@code validateOffsetFetch}: a member id
     * the group does not know is {@code UNKNOWN_MEMBER_ID}, an epoch other than the member's
     * {@code STALE_MEMBER_EPOCH}; a request without member (epoch &lt; 0, Admin or a consumer using
     * {@code assign()}) commits only while the group is empty, and always fetches.
     */
    private static BrokerError validateMember(ConsumerGroup group, Optional<String> memberId, int memberEpoch) {
        return ConsumerGroups.locked(group, d -> {
            if (group.removed) {
                return BrokerError.COORDINATOR_NOT_AVAILABLE;
            }
            if (memberEpoch < 0 && group.members.isEmpty()) {
                return null;
            }
            ConsumerMember member = memberId.map(group.members::get).orElse(null);
            if (member == null) {
                return BrokerError.UNKNOWN_MEMBER_ID;
            }
            return memberEpoch == member.memberEpoch ? null : BrokerError.STALE_MEMBER_EPOCH;
        });
    }

    CompletableFuture<List<FetchedOffset>> fetch(OffsetFetchRequest r) {
        Optional<ConsumerGroup> consumerGroup = consumerGroups.find(r.groupId());
        if (consumerGroup.isPresent() && r.memberId().isPresent()) {
            BrokerError refused = validateMember(consumerGroup.get(), r.memberId(), r.memberEpoch());
            if (refused != null) {
                return CompletableFuture.failedFuture(new BrokerException(refused, "Member " + r.memberId().get()
                        + " with epoch " + r.memberEpoch() + " may not fetch offsets of " + consumerGroup.get()));
            }
        }
        return strands.submit(r.groupId(), () -> store.call(s -> s.fetch(r.groupId()))).thenApply(committed -> {
            Map<PartitionKey, CommittedOffset> byKey = new HashMap<>();
            committed.forEach(o -> byKey.put(o.key(), o));
            List<PartitionKey> wanted = r.partitions().orElseGet(
                    () -> byKey.keySet().stream().sorted(Comparator.naturalOrder()).toList());
            List<FetchedOffset> result = new ArrayList<>();
            for (PartitionKey k : wanted) {
                CommittedOffset o = byKey.get(k);
                result.add(o == null ? new FetchedOffset(k.topic(), k.partition(), -1, -1, "", Optional.empty())
                        : new FetchedOffset(k.topic(), k.partition(), o.offset(), o.leaderEpoch(), o.metadata(),
                                Optional.empty()));
            }
            return result;
        });
    }

    CompletableFuture<List<PartitionResult>> deleteOffsets(String groupId, List<PartitionKey> partitions) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.INVALID_GROUP_ID, "The group id is empty"));
        }
        Optional<ClassicGroup> found = groups.find(groupId);
        Optional<ConsumerGroup> consumerGroup = consumerGroups.find(groupId);
        Map<PartitionKey, BrokerError> refused = new HashMap<>();
        consumerGroup.ifPresent(g -> ConsumerGroups.locked(g, d -> {
            for (PartitionKey k : partitions) {
                if (g.isSubscribedTo(k.topic())) {
                    refused.put(k, BrokerError.GROUP_SUBSCRIBED_TO_TOPIC);
                }
            }
            return null;
        }));
        if (found.isPresent()) {
            ClassicGroup group = found.get();
            BrokerError groupError = ClassicGroups.locked(group, d -> {
                switch (group.state) {
                    case DEAD -> {
                        return BrokerError.GROUP_ID_NOT_FOUND;
                    }
                    case EMPTY -> {
                        return null;
                    }
                    default -> {
                        if (!group.protocolType.equals(Optional.of(ConsumerSubscriptions.PROTOCOL_TYPE))) {
                            return BrokerError.NON_EMPTY_GROUP;
                        }
                        for (PartitionKey k : partitions) {
                            if (group.isSubscribedTo(k.topic())) {
                                refused.put(k, BrokerError.GROUP_SUBSCRIBED_TO_TOPIC);
                            }
                        }
                        return null;
                    }
                }
            });
            if (groupError != null) {
                return CompletableFuture.failedFuture(new BrokerException(groupError, "Cannot delete offsets of " + groupId));
            }
        }
        List<PartitionKey> eligible = partitions.stream().filter(k -> !refused.containsKey(k)).toList();
        return strands.submit(groupId, () -> store.call(s -> {
            if (found.isEmpty() && consumerGroup.isEmpty() && s.fetch(groupId).isEmpty()) {
                throw new BrokerException(BrokerError.GROUP_ID_NOT_FOUND, "The group " + groupId + " does not exist");
            }
            if (!eligible.isEmpty()) {
                s.delete(groupId, eligible);
            }
            return null;
        })).thenApply(ok -> partitions.stream()
                .map(k -> new PartitionResult(k.topic(), k.partition(), Optional.ofNullable(refused.get(k)))).toList());
    }

    /**
     * Deletes expired offsets (Kafka's rules): in an empty group, all of them once
     * {@code offsets.retention.minutes} have passed since it became empty; in a stable consumer
     * group that knows its subscriptions, those of topics nobody subscribes to any more, that long
     * after their commit; in a group that only stores offsets, each that long after its commit.
     * Groups rebalancing, or with members of another protocol, keep theirs. Empty groups left
     * without offsets are forgotten.
     */
    CompletableFuture<Void> expireOffsets() {
        long now = scheduler.nowMs();
        long retention = config.get().offsetsRetentionMs();
        return store.call(s -> s.groups()).thenCompose(stored -> {
            List<String> all = new ArrayList<>(stored);
            for (ClassicGroup g : groups.all()) {
                if (!stored.contains(g.groupId)) {
                    all.add(g.groupId);
                }
            }
            for (ConsumerGroup g : consumerGroups.all()) {
                if (!stored.contains(g.groupId)) {
                    all.add(g.groupId);
                }
            }
            List<CompletableFuture<Void>> each = new ArrayList<>();
            for (String groupId : all) {
                each.add(strands.submit(groupId, () -> store.call(s -> {
                    List<CommittedOffset> offsets = s.fetch(groupId);
                    List<PartitionKey> expired = expired(groupId, offsets, now, retention);
                    if (!expired.isEmpty()) {
                        s.delete(groupId, expired);
                        LOG.info("Removed {} expired offsets of group {}", expired.size(), groupId);
                    }
                    return offsets.size() - expired.size();
                })).thenAccept(left -> {
                    if (left == 0) {
                        consumerGroups.find(groupId).ifPresent(g -> {
                            if (consumerGroups.removeIfEmpty(g)) {
                                LOG.info("Consumer group {} is empty and has no offsets: removed", groupId);
                            }
                        });
                        groups.find(groupId).ifPresent(g -> ClassicGroups.locked(g, d -> {
                            if (g.is(GroupState.EMPTY) && g.members.isEmpty() && g.pendingMembers.isEmpty()) {
                                LOG.info("Group {} is empty and has no offsets: removed", groupId);
                                groups.removeDead(g);
                            }
                            return null;
                        }));
                    }
                }));
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]));
        });
    }

    private List<PartitionKey> expired(String groupId, List<CommittedOffset> offsets, long now, long retention) {
        Optional<ConsumerGroup> consumerGroup = consumerGroups.find(groupId);
        if (consumerGroup.isPresent()) {
            // Kafka's rule for consumer groups: an offset of a topic no member subscribes to
            // expires that long after its commit (all of them, once the group is empty).
            ConsumerGroup g = consumerGroup.get();
            return ConsumerGroups.locked(g, d -> offsets.stream().filter(o -> !g.isSubscribedTo(o.topic()))
                    .filter(o -> now - o.commitTimestamp() >= retention).map(CommittedOffset::key).toList());
        }
        Optional<ClassicGroup> found = groups.find(groupId);
        if (found.isEmpty()) {
            return offsets.stream().filter(o -> now - o.commitTimestamp() >= retention).map(CommittedOffset::key).toList();
        }
        ClassicGroup g = found.get();
        return ClassicGroups.locked(g, d -> {
            if (g.protocolType.isPresent() && g.is(GroupState.EMPTY)) {
                return now - g.stateTimestamp >= retention ? offsets.stream().map(CommittedOffset::key).toList()
                        : List.<PartitionKey>of();
            }
            if (g.protocolType.isEmpty() || g.protocolType.get().equals(ConsumerSubscriptions.PROTOCOL_TYPE)
                    && g.is(GroupState.STABLE) && g.subscribedTopics.isPresent()) {
                return offsets.stream().filter(o -> !g.isSubscribedTo(o.topic()) || g.protocolType.isEmpty())
                        .filter(o -> now - o.commitTimestamp() >= retention).map(CommittedOffset::key).toList();
            }
            return List.<PartitionKey>of();
        });
    }

    static BrokerError errorOf(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !(t instanceof BrokerException)) {
            t = t.getCause();
        }
        return t instanceof BrokerException b ? b.error() : BrokerError.COORDINATOR_NOT_AVAILABLE;
    }
}
