package io.cairn.group.coordinator.internal;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;

/**
 * Which member of a consumer group a ConsumerGroupHeartbeat comes from, and what it changes:
 * Kafka's {@code getOrMaybeSubscribeDynamicConsumerGroupMember}/{@code ...StaticConsumerGroupMember}
 * and {@code throwIfMemberEpochIsInvalid}. A join (epoch 0) finds or creates the member (a static
 * member's new incarnation takes its place); any other epoch must match the member's, or be its
 * previous epoch while it owns no more than it is assigned (the response that moved it on was
 * lost). Stateless; called with the group's monitor held.
 */
final class HeartbeatMembers {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatMembers.class);

    private HeartbeatMembers() {
    }

    /** The member the request is from: found and its epoch checked, or new (epoch 0). */
    static ConsumerMember memberFor(ConsumerGroup group, ConsumerHeartbeatRequest r,
            Optional<Map<UUID, Set<Integer>>> owned, CoordinatorConfig c) {
        boolean joining = r.memberEpoch() == ConsumerHeartbeatRequest.JOIN_EPOCH;
        if (r.instanceId().isPresent()) {
            String instance = r.instanceId().get();
            String current = group.staticMembers.get(instance);
            if (joining) {
                if (current == null || current.equals(r.memberId())) {
                    return current == null ? newMember(group, r, c) : group.members.get(current);
                }
                ConsumerMember old = group.members.get(current);
                if (old.memberEpoch != ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH) {
                    throw new BrokerException(BrokerError.UNRELEASED_INSTANCE_ID, "Static member " + r.memberId()
                            + " with instance id " + instance + " cannot join the group because the instance id is"
                            + " owned by " + current + " member.");
                }
                return replaceStatic(group, old, r.memberId().isEmpty() ? newMemberId() : r.memberId());
            }
            if (current == null) {
                throw unknownMember(group, r.memberId());
            }
            if (!current.equals(r.memberId())) {
                throw fencedInstance(r.memberId(), instance, current);
            }
        }
        ConsumerMember member = group.members.get(r.memberId());
        if (member == null) {
            if (!joining) {
                throw unknownMember(group, r.memberId());
            }
            return newMember(group, r, c);
        }
        if (!joining) {
            checkEpoch(member, r.memberEpoch(), owned);
        }
        return member;
    }

    private static ConsumerMember newMember(ConsumerGroup group, ConsumerHeartbeatRequest r, CoordinatorConfig c) {
        if (group.members.size() >= c.consumerMaxSize()) {
            throw new BrokerException(BrokerError.GROUP_MAX_SIZE_REACHED, "The consumer group " + group.groupId
                    + " has reached group.consumer.max.size " + c.consumerMaxSize());
        }
        return new ConsumerMember(r.memberId().isEmpty() ? newMemberId() : r.memberId(), r.instanceId());
    }

    /** A restarted static member takes its previous incarnation's place: same assignment, same epoch. */
    private static ConsumerMember replaceStatic(ConsumerGroup group, ConsumerMember old, String newId) {
        ConsumerMember m = new ConsumerMember(newId, old.instanceId);
        m.rackId = old.rackId;
        m.subscribedTopicNames = old.subscribedTopicNames;
        m.subscribedTopicRegex = old.subscribedTopicRegex;
        m.regex = old.regex;
        m.serverAssignor = old.serverAssignor;
        m.rebalanceTimeoutMs = old.rebalanceTimeoutMs;
        m.memberEpoch = old.previousMemberEpoch;
        m.previousMemberEpoch = old.previousMemberEpoch;
        m.state = old.state;
        m.assigned = old.assigned;
        m.pendingRevocation = old.pendingRevocation;
        old.session.cancel();
        old.revocation.cancel();
        group.members.remove(old.memberId);
        group.release(old.memberId, Reconciliation.ownedNow(old));
        group.members.put(newId, m);
        group.staticMembers.put(m.instanceId.orElseThrow(), newId);
        group.updateOwnership(m, Map.of());
        Map<UUID, Set<Integer>> target = group.targetAssignment.remove(old.memberId);
        if (target != null) {
            group.targetAssignment.put(newId, target);
        }
        LOG.info("Static member {} replaces {} in {}", m, old.memberId, group);
        return m;
    }

    /** Kafka's {@code throwIfMemberEpochIsInvalid}. */
    private static void checkEpoch(ConsumerMember member, int received, Optional<Map<UUID, Set<Integer>>> owned) {
        if (received > member.memberEpoch) {
            throw fenced(member, received);
        }
        if (received < member.memberEpoch) {
            // The response that moved it to its current epoch may have been lost: its previous
            // epoch is fine as long as it owns no more than it is assigned now.
            if (received != member.previousMemberEpoch || owned.isEmpty() || !isSubset(owned.get(), member.assigned)) {
                throw fenced(member, received);
            }
        }
    }

    private static BrokerException fenced(ConsumerMember member, int received) {
        return new BrokerException(BrokerError.FENCED_MEMBER_EPOCH, "The consumer group member has a "
                + (received > member.memberEpoch ? "greater" : "smaller") + " member epoch (" + received
                + ") than the one known by the group coordinator (" + member.memberEpoch
                + "). The member must abandon all its partitions and rejoin.");
    }

    static BrokerException fencedInstance(String memberId, String instance, String current) {
        return new BrokerException(BrokerError.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                + instance + " was fenced by member " + current + ".");
    }

    private static boolean isSubset(Map<UUID, Set<Integer>> some, Map<UUID, Set<Integer>> of) {
        return some.entrySet().stream().allMatch(e -> of.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()));
    }

    /** Applies what the request changes; true if the assignment depends on it (the group epoch moves). */
    static boolean applyChanges(ConsumerMember m, ConsumerHeartbeatRequest r) {
        boolean bump = false;
        m.clientId = r.clientId();
        m.clientHost = r.clientHost();
        if (r.rebalanceTimeoutMs() != -1) {
            m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        }
        if (r.rackId().isPresent() && !r.rackId().equals(m.rackId)) {
            m.rackId = r.rackId();
            bump = true;
        }
        if (r.subscribedTopicNames().isPresent()
                && !new HashSet<>(r.subscribedTopicNames().get()).equals(new HashSet<>(m.subscribedTopicNames))) {
            m.subscribedTopicNames = r.subscribedTopicNames().get();
            bump = true;
        }
        if (r.subscribedTopicRegex().isPresent()) {
            Optional<String> regex = r.subscribedTopicRegex().filter(x -> !x.isEmpty());
            if (!regex.equals(m.subscribedTopicRegex)) {
                m.subscribedTopicRegex = regex;
                m.regex = regex.map(Pattern::compile).orElse(null);
                bump = true;
            }
        }
        if (r.serverAssignor().isPresent() && !r.serverAssignor().equals(m.serverAssignor)) {
            m.serverAssignor = r.serverAssignor();
            bump = true;
        }
        return bump;
    }

    static BrokerException unknownMember(ConsumerGroup group, String memberId) {
        return new BrokerException(BrokerError.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                + group.groupId + ".");
    }

    /** A member id as Kafka makes them: a random UUID in URL-safe base64 without padding. */
    static String newMemberId() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }
}
