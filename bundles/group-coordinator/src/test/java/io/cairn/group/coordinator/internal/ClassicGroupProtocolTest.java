package io.cairn.group.coordinator.internal;

import static io.cairn.group.coordinator.internal.Harness.REBALANCE_MS;
import static io.cairn.group.coordinator.internal.Harness.SESSION_MS;
import static io.cairn.group.coordinator.internal.Harness.assignment;
import static io.cairn.group.coordinator.internal.Harness.done;
import static io.cairn.group.coordinator.internal.Harness.failure;
import static io.cairn.group.coordinator.internal.Harness.partitions;
import static io.cairn.group.coordinator.internal.Harness.subscription;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.groups.GroupDescription;
import io.cairn.broker.spi.groups.GroupProtocol;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.HeartbeatRequest;
import io.cairn.broker.spi.groups.JoinRequest;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.JoinedMember;
import io.cairn.broker.spi.groups.LeavingMember;
import io.cairn.broker.spi.groups.MemberIdRequiredException;
import io.cairn.broker.spi.groups.MemberLeave;
import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;

/** Kafka's classic rebalance protocol, driven as two or three consumers would drive it, on a manual clock. */
class ClassicGroupProtocolTest {

    private final Harness h = new Harness();

    private record Stable(JoinResult a, JoinResult b) {
    }

    /** Two consumers join an empty group and split four partitions: the leader assigns 0,1 to itself and 2,3 to the other. */
    private Stable formTwo(String group) {
        CompletableFuture<JoinResult> a = h.join(group, "", "consumer-a", subscription("t"));
        CompletableFuture<JoinResult> b = h.join(group, "", "consumer-b", subscription("t"));
        h.clock.advance(2_999);
        assertFalse(a.isDone(), "an empty group's first rebalance waits group.initial.rebalance.delay.ms");
        h.clock.advance(1);
        assertFalse(a.isDone(), "a member joined during the delay: it is extended once more");
        h.clock.advance(3_000);
        JoinResult ja = done(a);
        JoinResult jb = done(b);
        assertEquals(ja.generationId(), jb.generationId());
        assertEquals(ja.memberId(), ja.leaderId(), "the first member leads");
        assertEquals(ja.leaderId(), jb.leaderId());
        CompletableFuture<SyncResult> sb = h.sync(group, jb, Map.of());
        assertFalse(sb.isDone(), "a follower waits for the leader's assignment");
        SyncResult sa = done(h.sync(group, ja, Map.of(ja.memberId(), assignment("t", 0, 1), jb.memberId(),
                assignment("t", 2, 3))));
        assertEquals(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)), partitions(sa.assignment()));
        assertEquals(List.of(new TopicPartition("t", 2), new TopicPartition("t", 3)), partitions(done(sb).assignment()));
        return new Stable(ja, jb);
    }

    private GroupDescription describe(String group) {
        return done(h.coordinator.describeGroups(List.of(group))).get(0);
    }

    @Test
    void twoMembersSplitFourPartitions() {
        Stable s = formTwo("g");
        assertEquals(1, s.a().generationId());
        assertTrue(s.a().memberId().matches("consumer-a-[0-9a-f-]{36}"), "Kafka's <client.id>-<uuid> member id");
        assertEquals(Optional.of("range"), s.a().protocolName());
        assertEquals(List.of(s.a().memberId(), s.b().memberId()),
                s.a().members().stream().map(JoinedMember::memberId).toList(), "the leader sees every member");
        assertTrue(s.b().members().isEmpty(), "a follower sees none");
        assertArrayEquals(subscription("t"), s.a().members().get(1).metadata(), "metadata passed through untouched");
        GroupDescription d = describe("g");
        assertEquals(GroupState.STABLE, d.state());
        assertEquals("consumer", d.protocolType());
        assertEquals("range", d.protocolName());
        assertEquals(2, d.members().size());
        assertEquals(List.of(new TopicPartition("t", 2), new TopicPartition("t", 3)),
                partitions(d.members().get(1).assignment()));
        assertEquals(7, new Harness(Map.of("broker.id", "7"), true).coordinator.coordinatorFor("g"));
    }

    @Test
    void aMemberLeavingMakesTheOtherRejoinAndTakeEverything() {
        Stable s = formTwo("g");
        List<MemberLeave> left = done(h.coordinator.leaveGroup("g",
                List.of(new LeavingMember(s.b().memberId(), Optional.empty(), Optional.of("closing")))));
        assertEquals(Optional.empty(), left.get(0).error());
        assertEquals(BrokerError.REBALANCE_IN_PROGRESS, failure(h.heartbeat("g", 1, s.a().memberId())));
        JoinResult again = done(h.join("g", s.a().memberId(), "consumer-a", subscription("t")));
        assertEquals(2, again.generationId(), "the only member rejoined: the rebalance completes at once");
        assertEquals(List.of(s.a().memberId()), again.members().stream().map(JoinedMember::memberId).toList());
        SyncResult all = done(h.sync("g", again, Map.of(again.memberId(), assignment("t", 0, 1, 2, 3))));
        assertEquals(4, partitions(all.assignment()).size());
        assertEquals(GroupState.STABLE, describe("g").state());
    }

    @Test
    void aSilentMemberIsRemovedAfterItsSessionTimeout() {
        Stable s = formTwo("g");
        h.clock.advance(SESSION_MS / 2);
        done(h.heartbeat("g", 1, s.a().memberId()));
        h.clock.advance(SESSION_MS / 2 - 1);
        done(h.heartbeat("g", 1, s.a().memberId()));
        done(h.heartbeat("g", 1, s.a().memberId()));
        h.clock.advance(1);
        assertEquals(BrokerError.REBALANCE_IN_PROGRESS, failure(h.heartbeat("g", 1, s.a().memberId())),
                "b was silent for a whole session: it is gone and a rebalance started");
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.heartbeat("g", 1, s.b().memberId())));
        JoinResult again = done(h.join("g", s.a().memberId(), "consumer-a", subscription("t")));
        assertEquals(2, again.generationId());
        assertEquals(1, again.members().size());
    }

    @Test
    void aMemberThatDoesNotRejoinIsDroppedAfterTheRebalanceTimeout() {
        Stable s = formTwo("g");
        // The leader rejoins (as it does when it sees new partitions): a rebalance starts.
        CompletableFuture<JoinResult> a = h.join("g", s.a().memberId(), "consumer-a", subscription("t"));
        assertFalse(a.isDone(), "waiting for b to rejoin");
        // b keeps heartbeating (its poll loop is stuck, as when processing exceeds
        // max.poll.interval.ms) but never rejoins.
        for (int t = 0; t < REBALANCE_MS - 5_000; t += 5_000) {
            assertEquals(BrokerError.REBALANCE_IN_PROGRESS, failure(h.heartbeat("g", 1, s.b().memberId())));
            h.clock.advance(5_000);
        }
        h.clock.advance(4_999);
        assertFalse(a.isDone());
        h.clock.advance(1);
        JoinResult ja = done(a);
        assertEquals(2, ja.generationId());
        assertEquals(List.of(s.a().memberId()), ja.members().stream().map(JoinedMember::memberId).toList());
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.heartbeat("g", 2, s.b().memberId())));
    }

    @Test
    void aMemberThatDoesNotSyncIsRemovedAndTheGroupRebalances() {
        CompletableFuture<JoinResult> a = h.join("g", "", "consumer-a", subscription("t"));
        CompletableFuture<JoinResult> b = h.join("g", "", "consumer-b", subscription("t"));
        h.clock.advance(6_000);
        JoinResult ja = done(a);
        JoinResult jb = done(b);
        done(h.sync("g", ja, Map.of(ja.memberId(), assignment("t", 0, 1), jb.memberId(), assignment("t", 2, 3))));
        // Both heartbeat; b never sends SyncGroup.
        for (int t = 0; t < REBALANCE_MS; t += 5_000) {
            done(h.heartbeat("g", 1, ja.memberId()));
            done(h.heartbeat("g", 1, jb.memberId()));
            h.clock.advance(5_000);
        }
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.heartbeat("g", 1, jb.memberId())));
        assertEquals(BrokerError.REBALANCE_IN_PROGRESS, failure(h.heartbeat("g", 1, ja.memberId())));
    }

    @Test
    void aStaticMemberRestartingGetsItsAssignmentBackWithoutARebalance() {
        CompletableFuture<JoinResult> a = h.joinStatic("g", "", "a", subscription("t"));
        CompletableFuture<JoinResult> b = h.joinStatic("g", "", "b", subscription("t"));
        h.clock.advance(6_000);
        JoinResult ja = done(a);
        JoinResult jb = done(b);
        assertTrue(jb.memberId().startsWith("b-"), "a static member's id starts with its instance id");
        CompletableFuture<SyncResult> sb = syncStatic(jb, "b", Map.of());
        done(syncStatic(ja, "a", Map.of(ja.memberId(), assignment("t", 0, 1), jb.memberId(), assignment("t", 2, 3))));
        done(sb);

        // b restarts: it has no member id, only its instance id.
        JoinResult rejoined = done(h.joinStatic("g", "", "b", subscription("t")));
        assertNotEquals(jb.memberId(), rejoined.memberId());
        assertEquals(1, rejoined.generationId(), "no new generation");
        assertEquals(ja.memberId(), rejoined.leaderId());
        assertEquals(GroupState.STABLE, describe("g").state());
        SyncResult back = done(syncStatic(rejoined, "b", Map.of()));
        assertEquals(List.of(new TopicPartition("t", 2), new TopicPartition("t", 3)), partitions(back.assignment()));
        done(heartbeatStatic(ja, "a"));
        assertEquals(BrokerError.FENCED_INSTANCE_ID, failure(heartbeatStatic(jb, "b")), "the old incarnation is fenced");
    }

    @Test
    void aRestartedStaticLeaderIsToldTheOldLeaderIdSoItDoesNotAssign() {
        CompletableFuture<JoinResult> a = h.joinStatic("g", "", "a", subscription("t"));
        h.clock.advance(3_000);
        JoinResult ja = done(a);
        done(syncStatic(ja, "a", Map.of(ja.memberId(), assignment("t", 0))));
        JoinResult again = done(h.joinStatic("g", "", "a", subscription("t")));
        assertEquals(ja.memberId(), again.leaderId());
        assertNotEquals(again.memberId(), again.leaderId());
        JoinRequest v9 = new JoinRequest("g", "", Optional.of("a"), "c", "/h", SESSION_MS, REBALANCE_MS, "consumer",
                List.of(new GroupProtocol("range", subscription("t"))), false, true, Optional.empty());
        JoinResult skip = done(h.coordinator.joinGroup(v9));
        assertEquals(skip.memberId(), skip.leaderId(), "v9+: told it leads...");
        assertTrue(skip.skipAssignment(), "...and to skip the assignment");
        assertEquals(1, skip.members().size());
    }

    @Test
    void staleGenerationsAreRefused() {
        Stable s = formTwo("g");
        assertEquals(BrokerError.ILLEGAL_GENERATION, failure(h.heartbeat("g", 0, s.a().memberId())));
        JoinResult old = new JoinResult(s.b().memberId(), 0, Optional.empty(), Optional.empty(), "", false, List.of());
        assertEquals(BrokerError.ILLEGAL_GENERATION, failure(h.sync("g", old, Map.of())));
        assertEquals(BrokerError.ILLEGAL_GENERATION, OffsetsTest.commitError(h, "g", 5, s.a().memberId()));
    }

    @Test
    void unknownMembersAndGroupsAreRefused() {
        Stable s = formTwo("g");
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.heartbeat("g", 1, "nobody")));
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.heartbeat("nogroup", 1, "nobody")));
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.join("g", "nobody", "x", subscription("t"))));
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.join("nogroup", "nobody", "x", subscription("t"))));
        assertEquals(List.of(Optional.of(BrokerError.UNKNOWN_MEMBER_ID)),
                done(h.coordinator.leaveGroup("g", List.of(new LeavingMember("nobody", Optional.empty(),
                        Optional.empty())))).stream().map(MemberLeave::error).toList());
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.coordinator.syncGroup(new SyncRequest("g", 1, "nobody",
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of()))));
        assertEquals(BrokerError.INVALID_GROUP_ID, failure(h.join("", "", "x", subscription("t"))));
        done(h.heartbeat("g", 1, s.a().memberId()));
    }

    @Test
    void aNewMemberMustFirstAskForItsIdWhenTheClientRequiresIt() {
        JoinRequest first = new JoinRequest("g", "", Optional.empty(), "app", "/h", SESSION_MS, REBALANCE_MS,
                "consumer", List.of(new GroupProtocol("range", subscription("t"))), true, false, Optional.empty());
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> h.coordinator.joinGroup(first).toCompletableFuture().join());
        String id = ((MemberIdRequiredException) e.getCause()).memberId();
        assertTrue(id.matches("app-[0-9a-f-]{36}"));
        CompletableFuture<JoinResult> second = h.join("g", id, "app", subscription("t"));
        h.clock.advance(3_000);
        assertEquals(id, done(second).memberId());

        // A pending id that is never used expires after the session timeout.
        String unused = ((MemberIdRequiredException) org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class, () -> h.coordinator.joinGroup(first).toCompletableFuture().join())
                .getCause()).memberId();
        h.clock.advance(SESSION_MS);
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(h.join("g", unused, "app", subscription("t"))));
    }

    @Test
    void membersMustShareAProtocol() {
        h.join("g", "", "a", subscription("t"));
        JoinRequest other = new JoinRequest("g", "", Optional.empty(), "b", "/h", SESSION_MS, REBALANCE_MS, "consumer",
                List.of(new GroupProtocol("roundrobin", subscription("t"))), false, false, Optional.empty());
        assertEquals(BrokerError.INCONSISTENT_GROUP_PROTOCOL, failure(h.coordinator.joinGroup(other)));
        JoinRequest connect = new JoinRequest("g", "", Optional.empty(), "b", "/h", SESSION_MS, REBALANCE_MS, "connect",
                List.of(new GroupProtocol("range", subscription("t"))), false, false, Optional.empty());
        assertEquals(BrokerError.INCONSISTENT_GROUP_PROTOCOL, failure(h.coordinator.joinGroup(connect)));
    }

    @Test
    void theProtocolMostMembersPreferWins() {
        byte[] m = subscription("t");
        List<GroupProtocol> rangeFirst = List.of(new GroupProtocol("range", m), new GroupProtocol("cooperative-sticky", m));
        List<GroupProtocol> stickyFirst = List.of(new GroupProtocol("cooperative-sticky", m), new GroupProtocol("range", m));
        CompletableFuture<JoinResult> a = h.coordinator.joinGroup(new JoinRequest("g", "", Optional.empty(), "a", "/h",
                SESSION_MS, REBALANCE_MS, "consumer", rangeFirst, false, false, Optional.empty())).toCompletableFuture();
        for (String c : List.of("b", "c")) {
            h.coordinator.joinGroup(new JoinRequest("g", "", Optional.empty(), c, "/h", SESSION_MS, REBALANCE_MS,
                    "consumer", stickyFirst, false, false, Optional.empty()));
        }
        h.clock.advance(9_000);
        assertEquals(Optional.of("cooperative-sticky"), done(a).protocolName());
    }

    @Test
    void sessionTimeoutsOutsideTheBrokerLimitsAreRefused() {
        JoinRequest tooShort = new JoinRequest("g", "", Optional.empty(), "a", "/h", 5_999, REBALANCE_MS, "consumer",
                List.of(new GroupProtocol("range", subscription("t"))), false, false, Optional.empty());
        assertEquals(BrokerError.INVALID_SESSION_TIMEOUT, failure(h.coordinator.joinGroup(tooShort)));
    }

    @Test
    void anAdministratorRemovesAStaticMemberByInstanceId() {
        CompletableFuture<JoinResult> a = h.joinStatic("g", "", "a", subscription("t"));
        CompletableFuture<JoinResult> b = h.joinStatic("g", "", "b", subscription("t"));
        h.clock.advance(6_000);
        JoinResult ja = done(a);
        done(b);
        List<MemberLeave> removed = done(h.coordinator.leaveGroup("g", List.of(
                new LeavingMember("", Optional.of("b"), Optional.of("admin")),
                new LeavingMember("", Optional.of("nope"), Optional.empty()))));
        assertEquals(Optional.empty(), removed.get(0).error());
        assertEquals(Optional.of(BrokerError.UNKNOWN_MEMBER_ID), removed.get(1).error());
        assertEquals(1, describe("g").members().size());
        assertEquals(BrokerError.REBALANCE_IN_PROGRESS, failure(heartbeatStatic(ja, "a")));
    }

    @Test
    void aFollowerRejoiningAStableGroupUnchangedGetsTheCurrentGeneration() {
        Stable s = formTwo("g");
        JoinResult same = done(h.join("g", s.b().memberId(), "consumer-b", subscription("t")));
        assertEquals(1, same.generationId());
        assertEquals(GroupState.STABLE, describe("g").state());
        CompletableFuture<JoinResult> changed = h.join("g", s.b().memberId(), "consumer-b", subscription("t", "u"));
        assertFalse(changed.isDone(), "new metadata: a rebalance");
        assertEquals(GroupState.PREPARING_REBALANCE, describe("g").state());
        assertTrue(describe("g").members().stream().allMatch(m -> m.assignment().length == 0),
                "no assignments are shown while rebalancing");
    }

    @Test
    void theLastMemberLeavingEmptiesTheGroupAndItCanBeDeleted() {
        Stable s = formTwo("g");
        done(h.coordinator.leaveGroup("g", List.of(new LeavingMember(s.a().memberId(), Optional.empty(), Optional.empty()),
                new LeavingMember(s.b().memberId(), Optional.empty(), Optional.empty()))));
        GroupDescription d = describe("g");
        assertEquals(GroupState.EMPTY, d.state());
        assertTrue(d.members().isEmpty());
        assertEquals(Optional.empty(), done(h.coordinator.deleteGroups(List.of("g"))).get(0).error());
        assertFalse(describe("g").exists());
        assertEquals(GroupState.DEAD, describe("g").state());
    }

    private CompletableFuture<SyncResult> syncStatic(JoinResult j, String instance, Map<String, byte[]> assignments) {
        return h.coordinator.syncGroup(new SyncRequest("g", j.generationId(), j.memberId(), Optional.of(instance),
                Optional.empty(), Optional.empty(), assignments)).toCompletableFuture();
    }

    private CompletableFuture<Void> heartbeatStatic(JoinResult j, String instance) {
        return h.coordinator.heartbeat(new HeartbeatRequest("g", j.generationId(), j.memberId(), Optional.of(instance)))
                .toCompletableFuture();
    }
}
