package io.cairn.group.coordinator.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Moves one member towards its target assignment, Kafka's {@code CurrentAssignmentBuilder}: a
 * partition that another member still owns is not given out until that member has revoked it (its
 * heartbeat no longer lists it), and a member that must give partitions up gets nothing new and
 * keeps its epoch until it has. So no partition is ever owned by two members at once.
 *
 * <ul>
 * <li>{@code STABLE} at the target epoch: nothing to do.</li>
 * <li>Otherwise the next step is computed: partitions it keeps (owned and targeted), partitions to
 * revoke (owned, not targeted), partitions to add (targeted, not owned) minus those still owned by
 * others ("unreleased").</li>
 * <li>If there is something to revoke and the member (as far as its heartbeat tells) still owns
 * it: {@code UNREVOKED_PARTITIONS}, assigned = the kept ones, epoch unchanged.</li>
 * <li>Else: assigned = kept + added, epoch = target epoch, {@code UNRELEASED_PARTITIONS} if some
 * targeted partitions are still owned by others (retried on each heartbeat), else {@code STABLE}.</li>
 * <li>{@code UNREVOKED_PARTITIONS} ends when a heartbeat's owned partitions no longer include any
 * partition to revoke; the member then moves one epoch on (or to the target) and the next step
 * is computed.</li>
 * </ul>
 *
 * <p>Stateless; called with the group's monitor held.
 */
final class Reconciliation {

    private Reconciliation() {
    }

    /**
     * Advances {@code member} as far as it can go now.
     *
     * @param owned the partitions the member's heartbeat says it owns; empty if it did not say
     *     (then it is assumed to still own everything it was given)
     */
    static void advance(ConsumerGroup group, ConsumerMember member, Optional<Map<UUID, Set<Integer>>> owned) {
        switch (member.state) {
            case STABLE -> {
                if (member.memberEpoch != group.assignmentEpoch) {
                    next(group, member, member.memberEpoch, owned);
                }
            }
            case UNREVOKED_PARTITIONS -> {
                if (!ownsAny(owned, member.pendingRevocation)) {
                    next(group, member, Math.min(member.memberEpoch + 1, group.assignmentEpoch), owned);
                }
            }
            case UNRELEASED_PARTITIONS -> next(group, member, member.memberEpoch, owned);
            default -> throw new IllegalStateException("Unknown member state " + member.state);
        }
    }

    private static void next(ConsumerGroup group, ConsumerMember member, int epochWhileRevoking,
            Optional<Map<UUID, Set<Integer>>> owned) {
        Map<UUID, Set<Integer>> target = group.targetAssignment.getOrDefault(member.memberId, Map.of());
        Map<UUID, Set<Integer>> keep = new HashMap<>();
        Map<UUID, Set<Integer>> revoke = new HashMap<>();
        Map<UUID, Set<Integer>> add = new HashMap<>();
        boolean unreleased = false;
        Set<UUID> topics = new HashSet<>(target.keySet());
        topics.addAll(member.assigned.keySet());
        for (UUID topic : topics) {
            Set<Integer> current = member.assigned.getOrDefault(topic, Set.of());
            Set<Integer> wanted = target.getOrDefault(topic, Set.of());
            for (int p : current) {
                (wanted.contains(p) ? keep : revoke).computeIfAbsent(topic, t -> new HashSet<>()).add(p);
            }
            for (int p : wanted) {
                if (current.contains(p)) {
                    continue;
                }
                String owner = group.ownerOf(topic, p);
                if (owner != null && !owner.equals(member.memberId)) {
                    unreleased = true;
                } else {
                    add.computeIfAbsent(topic, t -> new HashSet<>()).add(p);
                }
            }
        }
        Map<UUID, Set<Integer>> before = ownedNow(member);
        if (!revoke.isEmpty() && ownsAny(owned, revoke)) {
            member.state = ConsumerMember.State.UNREVOKED_PARTITIONS;
            setEpoch(member, epochWhileRevoking);
            member.assigned = freeze(keep);
            member.pendingRevocation = freeze(revoke);
        } else {
            add.forEach((topic, ps) -> keep.computeIfAbsent(topic, t -> new HashSet<>()).addAll(ps));
            member.state = unreleased ? ConsumerMember.State.UNRELEASED_PARTITIONS : ConsumerMember.State.STABLE;
            setEpoch(member, group.assignmentEpoch);
            member.assigned = freeze(keep);
            member.pendingRevocation = Map.of();
        }
        group.updateOwnership(member, before);
    }

    /** Everything the member owns in the coordinator's view: assigned plus still to revoke. */
    static Map<UUID, Set<Integer>> ownedNow(ConsumerMember member) {
        Map<UUID, Set<Integer>> all = new HashMap<>();
        member.assigned.forEach((t, ps) -> all.computeIfAbsent(t, x -> new HashSet<>()).addAll(ps));
        member.pendingRevocation.forEach((t, ps) -> all.computeIfAbsent(t, x -> new HashSet<>()).addAll(ps));
        return all;
    }

    private static boolean ownsAny(Optional<Map<UUID, Set<Integer>>> owned, Map<UUID, Set<Integer>> partitions) {
        if (owned.isEmpty()) {
            return true;
        }
        for (Map.Entry<UUID, Set<Integer>> e : partitions.entrySet()) {
            Set<Integer> has = owned.get().getOrDefault(e.getKey(), Set.of());
            if (e.getValue().stream().anyMatch(has::contains)) {
                return true;
            }
        }
        return false;
    }

    static void setEpoch(ConsumerMember member, int epoch) {
        if (member.memberEpoch != epoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = epoch;
        }
    }

    static Map<UUID, Set<Integer>> freeze(Map<UUID, Set<Integer>> partitions) {
        Map<UUID, Set<Integer>> copy = new HashMap<>();
        partitions.forEach((t, ps) -> {
            if (!ps.isEmpty()) {
                copy.put(t, Set.copyOf(ps));
            }
        });
        return Map.copyOf(copy);
    }
}
