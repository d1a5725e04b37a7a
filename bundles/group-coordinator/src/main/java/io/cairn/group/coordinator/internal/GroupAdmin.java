package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.groups.ConsumerGroupDescription;
import io.cairn.broker.spi.groups.ConsumerMemberDescription;
import io.cairn.broker.spi.groups.GroupDeletion;
import io.cairn.broker.spi.groups.GroupDescription;
import io.cairn.broker.spi.groups.GroupListing;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.GroupType;
import io.cairn.broker.spi.groups.MemberDescription;

/**
 * ListGroups, DescribeGroups, ConsumerGroupDescribe and DeleteGroups. A group exists while it has
 * members (held in memory) or committed offsets (in the offset store); a group that only has
 * offsets is {@code Empty} with no protocol type, as Kafka shows a group loaded from its offsets
 * alone. Consumer (KIP-848) groups are listed with type {@code consumer}; DescribeGroups does not
 * describe them (they do not exist as classic groups) and ConsumerGroupDescribe describes only them ({@code GROUP_ID_NOT_FOUND}
 * otherwise), as in Kafka, whose Admin client asks the one and falls back to the other.
 *
 * <p>Thread-safe.
 */
final class GroupAdmin {

    private static final byte[] NONE = new byte[0];

    private final ClassicGroups groups;
    private final ConsumerGroups consumerGroups;
    private final SelectedOffsetStore store;
    private final GroupStrands strands;

    GroupAdmin(ClassicGroups groups, ConsumerGroups consumerGroups, SelectedOffsetStore store, GroupStrands strands) {
        this.groups = groups;
        this.consumerGroups = consumerGroups;
        this.store = store;
        this.strands = strands;
    }

    CompletableFuture<List<GroupListing>> list(Set<GroupState> states, Set<GroupType> types) {
        return store.call(s -> s.groups()).thenApply(stored -> {
            List<GroupListing> all = new ArrayList<>();
            for (ClassicGroup g : groups.all()) {
                GroupListing l = ClassicGroups.locked(g, d -> g.is(GroupState.DEAD) ? null
                        : new GroupListing(g.groupId, g.protocolType.orElse(""), g.state, GroupType.CLASSIC));
                if (l != null) {
                    all.add(l);
                }
            }
            for (ConsumerGroup g : consumerGroups.all()) {
                GroupListing l = ConsumerGroups.locked(g, d -> g.removed ? null
                        : new GroupListing(g.groupId, ConsumerSubscriptions.PROTOCOL_TYPE, g.state(), GroupType.CONSUMER));
                if (l != null) {
                    all.add(l);
                }
            }
            for (String id : stored) {
                if (groups.find(id).isEmpty() && consumerGroups.find(id).isEmpty()) {
                    all.add(new GroupListing(id, "", GroupState.EMPTY, GroupType.CLASSIC));
                }
            }
            return all.stream().filter(l -> states.isEmpty() || states.contains(l.state()))
                    .filter(l -> types.isEmpty() || types.contains(l.type()))
                    .sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList();
        });
    }

    CompletableFuture<List<GroupDescription>> describe(List<String> groupIds) {
        boolean needStore = groupIds.stream().anyMatch(id -> id != null && groups.find(id).isEmpty());
        CompletableFuture<Set<String>> stored = needStore ? store.call(s -> s.groups())
                : CompletableFuture.completedFuture(Set.of());
        return stored.handle((withOffsets, failure) -> {
            List<GroupDescription> result = new ArrayList<>();
            for (String id : groupIds) {
                result.add(describeOne(id, withOffsets, failure));
            }
            return result;
        });
    }

    private GroupDescription describeOne(String id, Set<String> withOffsets, Throwable storeFailure) {
        if (id == null) {
            return new GroupDescription("", Optional.of(BrokerError.INVALID_GROUP_ID), false, GroupState.DEAD, "", "",
                    List.of());
        }
        Optional<ClassicGroup> found = groups.find(id);
        if (found.isPresent()) {
            ClassicGroup g = found.get();
            return ClassicGroups.locked(g, d -> summary(g));
        }
        if (consumerGroups.find(id).isPresent()) {
            // Not a classic group: Kafka describes it as Dead before v6 and GROUP_ID_NOT_FOUND from v6.
            return new GroupDescription(id, Optional.empty(), false, GroupState.DEAD, "", "", List.of());
        }
        if (storeFailure != null) {
            return new GroupDescription(id, Optional.of(GroupOffsets.errorOf(storeFailure)), false, GroupState.DEAD, "",
                    "", List.of());
        }
        boolean exists = withOffsets.contains(id);
        return new GroupDescription(id, Optional.empty(), exists, exists ? GroupState.EMPTY : GroupState.DEAD, "", "",
                List.of());
    }

    /** Kafka's {@code GroupMetadata.summary}: metadata and assignments only while stable. */
    private static GroupDescription summary(ClassicGroup g) {
        boolean stable = g.is(GroupState.STABLE);
        List<MemberDescription> members = new ArrayList<>();
        for (GroupMember m : g.members.values()) {
            members.add(new MemberDescription(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                    stable ? m.metadata(g.protocolName.orElseThrow()) : NONE, stable ? m.assignment : NONE));
        }
        return new GroupDescription(g.groupId, Optional.empty(), !g.is(GroupState.DEAD), g.state,
                g.protocolType.orElse(""), stable ? g.protocolName.orElse("") : "", members);
    }

    CompletableFuture<List<GroupDeletion>> delete(List<String> groupIds) {
        List<CompletableFuture<GroupDeletion>> each = new ArrayList<>();
        for (String id : groupIds) {
            each.add(deleteOne(id));
        }
        return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<GroupDeletion> deleteOne(String id) {
        if (id == null) {
            return CompletableFuture.completedFuture(new GroupDeletion("", Optional.of(BrokerError.INVALID_GROUP_ID)));
        }
        Optional<ConsumerGroup> consumerGroup = consumerGroups.find(id);
        if (consumerGroup.isPresent() && !consumerGroups.removeIfEmpty(consumerGroup.get())) {
            return CompletableFuture.completedFuture(new GroupDeletion(id, Optional.of(BrokerError.NON_EMPTY_GROUP)));
        }
        Optional<ClassicGroup> found = groups.find(id);
        if (found.isPresent()) {
            ClassicGroup g = found.get();
            BrokerError refused = ClassicGroups.locked(g, d -> switch (g.state) {
                case DEAD -> BrokerError.GROUP_ID_NOT_FOUND;
                case EMPTY -> {
                    groups.removeDead(g);
                    yield null;
                }
                default -> BrokerError.NON_EMPTY_GROUP;
            });
            if (refused != null) {
                return CompletableFuture.completedFuture(new GroupDeletion(id, Optional.of(refused)));
            }
        }
        boolean known = found.isPresent() || consumerGroup.isPresent();
        return strands.submit(id, () -> store.call(s -> {
            if (!known && s.fetch(id).isEmpty()) {
                return Optional.of(BrokerError.GROUP_ID_NOT_FOUND);
            }
            s.deleteGroup(id);
            return Optional.<BrokerError>empty();
        })).handle((error, failure) -> new GroupDeletion(id,
                failure != null ? Optional.of(GroupOffsets.errorOf(failure)) : error));
    }

    /** ConsumerGroupDescribe: consumer groups described; anything else {@code GROUP_ID_NOT_FOUND}. */
    List<ConsumerGroupDescription> describeConsumerGroups(List<String> groupIds) {
        List<ConsumerGroupDescription> result = new ArrayList<>();
        for (String id : groupIds) {
            if (id == null || id.isEmpty()) {
                result.add(new ConsumerGroupDescription(id == null ? "" : id, Optional.of(BrokerError.INVALID_GROUP_ID),
                        "The group id is empty", GroupState.DEAD, 0, 0, "", List.of()));
                continue;
            }
            ConsumerGroupDescription described = consumerGroups.find(id).map(g -> ConsumerGroups.locked(g, d ->
                    g.removed ? null : consumerSummary(g))).orElse(null);
            if (described == null) {
                String why = groups.find(id).isPresent() ? "Group " + id + " is not a consumer group."
                        : "Group " + id + " not found.";
                described = new ConsumerGroupDescription(id, Optional.of(BrokerError.GROUP_ID_NOT_FOUND), why,
                        GroupState.DEAD, 0, 0, "", List.of());
            }
            result.add(described);
        }
        return result;
    }

    private static ConsumerGroupDescription consumerSummary(ConsumerGroup g) {
        List<ConsumerMemberDescription> members = new ArrayList<>();
        for (ConsumerMember m : g.members.values()) {
            members.add(new ConsumerMemberDescription(m.memberId, m.instanceId, m.rackId, m.memberEpoch, m.clientId,
                    m.clientHost, m.subscribedTopicNames, m.subscribedTopicRegex, g.describe(m.assigned),
                    g.describe(g.targetAssignment.getOrDefault(m.memberId, java.util.Map.of()))));
        }
        String assignor = g.assignorName;
        return new ConsumerGroupDescription(g.groupId, Optional.empty(), "", g.state(), g.groupEpoch, g.assignmentEpoch,
                assignor, members);
    }
}
