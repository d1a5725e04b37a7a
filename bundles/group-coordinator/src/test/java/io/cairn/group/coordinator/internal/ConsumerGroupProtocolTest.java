package io.cairn.group.coordinator.internal;

import static io.cairn.group.coordinator.internal.ConsumerHarness.id;
import static io.cairn.group.coordinator.internal.Harness.done;
import static io.cairn.group.coordinator.internal.Harness.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.groups.ConsumerGroupDescription;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;
import io.cairn.broker.spi.groups.ConsumerHeartbeatResult;
import io.cairn.broker.spi.groups.ConsumerMemberDescription;
import io.cairn.broker.spi.groups.GroupDescription;
import io.cairn.broker.spi.groups.GroupListing;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.GroupType;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.group.coordinator.internal.ConsumerHarness.Member;

/** The consumer group protocol of KIP-848, driven as kafka-clients' consumers drive it, on a manual clock. */
class ConsumerGroupProtocolTest {

    private final ConsumerHarness h = new ConsumerHarness();

    private ConsumerGroupDescription describe(String group) {
        return done(h.coordinator.consumerGroupDescribe(List.of(group))).get(0);
    }

    /** a joins and owns all four partitions; b joins; they reconcile to 2 + 2. */
    private Member[] formTwo(String group) {
        h.topics.put("t", 4);
        Member a = h.member(group, "member-a");
        ConsumerHeartbeatResult joined = a.join(List.of("t"), Optional.empty());
        assertEquals(1, joined.memberEpoch());
        assertEquals(5000, joined.heartbeatIntervalMs(), "group.consumer.heartbeat.interval.ms");
        assertEquals(Set.of(0, 1, 2, 3), a.partitionsOf("t"));

        Member b = h.member(group, "member-b");
        ConsumerHeartbeatResult bJoined = b.join(List.of("t"), Optional.empty());
        assertEquals(2, bJoined.memberEpoch(), "b is at the new target epoch at once");
        assertEquals(Set.of(), b.partitionsOf("t"), "nothing for b while a still owns all four");
        assertEquals(GroupState.RECONCILING, describe(group).state());

        ConsumerHeartbeatResult revoke = a.heartbeat();
        assertEquals(1, revoke.memberEpoch(), "a keeps its epoch until it has revoked");
        assertEquals(2, a.count(), "a is told to keep two partitions");
        Set<Integer> kept = a.partitionsOf("t");
        assertTrue(b.heartbeat().assignment().isEmpty(), "b still waits: a has not confirmed the revocation");
        assertEquals(Set.of(), b.partitionsOf("t"));

        assertEquals(2, a.heartbeat().memberEpoch(), "a confirmed by heartbeating without them: epoch 2");
        b.heartbeat();
        assertEquals(2, b.count());
        Set<Integer> all = new HashSet<>(kept);
        all.addAll(b.partitionsOf("t"));
        assertEquals(Set.of(0, 1, 2, 3), all, "2 + 2, no partition twice");
        assertEquals(GroupState.STABLE, describe(group).state());
        return new Member[] {a, b};
    }

    @Test
    void twoMembersSplitFourPartitionsOnlyAfterTheFirstRevokedThem() {
        formTwo("g");
        ConsumerGroupDescription d = describe("g");
        assertEquals(2, d.groupEpoch());
        assertEquals(2, d.assignmentEpoch());
        assertEquals("uniform", d.assignorName(), "the first of group.consumer.assignors");
        assertEquals(2, d.members().size());
        for (ConsumerMemberDescription m : d.members()) {
            assertEquals(2, m.memberEpoch());
            assertEquals(List.of("t"), m.subscribedTopicNames());
            assertEquals(m.targetAssignment(), m.assignment());
            assertEquals("t", m.assignment().get(0).topicName());
        }
    }

    @Test
    void aLeavingMembersPartitionsGoToTheOther() {
        Member[] ab = formTwo("g");
        ConsumerHeartbeatResult left = ab[0].leave(ConsumerHeartbeatRequest.LEAVE_EPOCH);
        assertEquals(-1, left.memberEpoch());
        ab[1].heartbeat();
        assertEquals(Set.of(0, 1, 2, 3), ab[1].partitionsOf("t"));
        assertEquals(3, ab[1].epoch);
        assertEquals(1, describe("g").members().size());
    }

    @Test
    void aSilentMemberIsRemovedAfterTheSessionTimeoutAndTheOtherGetsAll() {
        Member[] ab = formTwo("g");
        for (int i = 0; i < 8; i++) {
            h.clock.advance(5_000);
            ab[1].heartbeat();
        }
        assertEquals(2, describe("g").members().size(), "40 s: within group.consumer.session.timeout.ms (45 s)");
        h.clock.advance(5_000);
        ab[1].heartbeat();
        assertEquals(1, describe("g").members().size());
        assertEquals(Set.of(0, 1, 2, 3), ab[1].partitionsOf("t"));
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(ab[0].heartbeatWithEpoch(ab[0].epoch)));
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() {
        h.topics.put("t", 4);
        Member a = h.member("g", "a");
        a.join(List.of("t"), Optional.empty());
        Member b = h.member("g", "b");
        b.join(List.of("t"), Optional.empty());
        a.heartbeat(); // told to revoke two; the client never confirms
        Map<java.util.UUID, Set<Integer>> stillOwned = Map.of(id("t"), Set.of(0, 1, 2, 3));
        for (int t = 0; t < ConsumerHarness.REBALANCE_MS; t += 5_000) {
            h.clock.advance(5_000);
            b.heartbeat();
            if (describe("g").members().size() == 2) {
                a.owned = new java.util.HashMap<>(stillOwned);
                a.heartbeat();
            }
        }
        assertEquals(1, describe("g").members().size(), "a was fenced after its rebalance timeout");
        b.heartbeat();
        assertEquals(Set.of(0, 1, 2, 3), b.partitionsOf("t"));
    }

    @Test
    void epochsAreFencedAsKafkaFencesThem() {
        Member[] ab = formTwo("g");
        Member a = ab[0];
        assertEquals(BrokerError.FENCED_MEMBER_EPOCH, failure(a.heartbeatWithEpoch(a.epoch + 1)), "ahead of the coordinator");
        // The previous epoch is accepted while it owns no more than it is assigned (a lost response) ...
        ConsumerHeartbeatResult previous = done(a.heartbeatWithEpoch(a.epoch - 1));
        assertEquals(2, previous.memberEpoch());
        // ... and fenced if it claims more.
        a.owned = new java.util.HashMap<>(Map.of(id("t"), Set.of(0, 1, 2, 3)));
        assertEquals(BrokerError.FENCED_MEMBER_EPOCH, failure(a.heartbeatWithEpoch(a.epoch - 1)), "behind, owning more");
        Member stranger = h.member("g", "stranger");
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(stranger.heartbeatWithEpoch(5)));
        Member unknownGroup = h.member("nowhere", "x");
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, failure(unknownGroup.heartbeatWithEpoch(5)),
                "after a coordinator restart: the member rejoins");
    }

    @Test
    void malformedHeartbeatsAreRefusedAsKafkaRefusesThem() {
        CompletableFuture<ConsumerHeartbeatResult> noTopics = h.coordinator.consumerGroupHeartbeat(
                new ConsumerHeartbeatRequest("g", "m", 0, Optional.empty(), Optional.empty(), 1000, Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of(List.of()), "c", "h")).toCompletableFuture();
        assertEquals(BrokerError.INVALID_REQUEST, failure(noTopics));
        CompletableFuture<ConsumerHeartbeatResult> noRebalanceTimeout = h.coordinator.consumerGroupHeartbeat(
                new ConsumerHeartbeatRequest("g", "m", 0, Optional.empty(), Optional.empty(), -1, Optional.of(List.of("t")),
                        Optional.empty(), Optional.empty(), Optional.of(List.of()), "c", "h")).toCompletableFuture();
        assertEquals(BrokerError.INVALID_REQUEST, failure(noRebalanceTimeout));
        CompletableFuture<ConsumerHeartbeatResult> unknownAssignor = h.coordinator.consumerGroupHeartbeat(
                new ConsumerHeartbeatRequest("g", "m", 0, Optional.empty(), Optional.empty(), 1000, Optional.of(List.of("t")),
                        Optional.empty(), Optional.of("sticky"), Optional.of(List.of()), "c", "h")).toCompletableFuture();
        assertEquals(BrokerError.UNSUPPORTED_ASSIGNOR, failure(unknownAssignor));
        CompletableFuture<ConsumerHeartbeatResult> badRegex = h.coordinator.consumerGroupHeartbeat(
                new ConsumerHeartbeatRequest("g", "m", 0, Optional.empty(), Optional.empty(), 1000, Optional.empty(),
                        Optional.of("t(("), Optional.empty(), Optional.of(List.of()), "c", "h")).toCompletableFuture();
        assertEquals(BrokerError.INVALID_REGULAR_EXPRESSION, failure(badRegex));
        CompletableFuture<ConsumerHeartbeatResult> noGroup = h.coordinator.consumerGroupHeartbeat(
                new ConsumerHeartbeatRequest("", "m", 0, Optional.empty(), Optional.empty(), 1000, Optional.of(List.of("t")),
                        Optional.empty(), Optional.empty(), Optional.of(List.of()), "c", "h")).toCompletableFuture();
        assertEquals(BrokerError.INVALID_GROUP_ID, failure(noGroup));
    }

    @Test
    void aV0ClientJoiningWithoutMemberIdGetsOne() {
        h.topics.put("t", 1);
        Member m = h.member("g", "");
        ConsumerHeartbeatResult r = m.join(List.of("t"), Optional.empty());
        assertEquals(22, r.memberId().length(), "a Kafka Uuid in base64");
        assertEquals(Set.of(0), m.partitionsOf("t"));
    }

    @Test
    void newPartitionsAndNewTopicsLeadToANewAssignment() {
        h.topics.put("t", 2);
        Member a = h.member("g", "a");
        a.join(List.of("t", "later"), Optional.empty());
        assertEquals(Set.of(0, 1), a.partitionsOf("t"));
        h.topics.put("t", 4);
        ConsumerHeartbeatResult grown = a.heartbeat();
        assertEquals(2, grown.memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3), a.partitionsOf("t"));
        h.topics.put("later", 2);
        a.heartbeat();
        assertEquals(3, a.epoch);
        assertEquals(Set.of(0, 1), a.partitionsOf("later"));
    }

    @Test
    void aRegexSubscriptionFollowsMatchingTopics() {
        h.topics.put("orders-eu", 1);
        h.topics.put("payments", 1);
        Member a = h.member("g", "a");
        a.joinRegex("orders-.*");
        assertEquals(Set.of(0), a.partitionsOf("orders-eu"));
        assertEquals(Set.of(), a.partitionsOf("payments"));
        h.topics.put("orders-us", 2);
        a.heartbeat();
        assertEquals(Set.of(0, 1), a.partitionsOf("orders-us"));
    }

    @Test
    void theRangeAssignorIsUsedWhenTheMembersAskForIt() {
        h.topics.put("t1", 4);
        h.topics.put("t2", 4);
        Member a = h.member("g", "a");
        Member b = h.member("g", "b");
        a.join(List.of("t1", "t2"), Optional.of("range"));
        b.join(List.of("t1", "t2"), Optional.of("range"));
        for (int i = 0; i < 3; i++) {
            a.heartbeat();
            b.heartbeat();
        }
        assertEquals("range", describe("g").assignorName());
        assertEquals(Set.of(0, 1), a.partitionsOf("t1"));
        assertEquals(Set.of(0, 1), a.partitionsOf("t2"));
        assertEquals(Set.of(2, 3), b.partitionsOf("t1"));
        assertEquals(Set.of(2, 3), b.partitionsOf("t2"));
    }

    @Test
    void aStaticMemberKeepsItsPartitionsAcrossARestart() {
        h.topics.put("t", 4);
        Member a = h.staticMember("g", "a1", "instance-a");
        Member b = h.member("g", "b");
        a.join(List.of("t"), Optional.empty());
        b.join(List.of("t"), Optional.empty());
        for (int i = 0; i < 3; i++) {
            a.heartbeat();
            b.heartbeat();
        }
        Set<Integer> mine = a.partitionsOf("t");
        assertEquals(2, mine.size());
        int groupEpoch = describe("g").groupEpoch();
        assertEquals(-2, a.leave(ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH).memberEpoch());

        Member again = h.staticMember("g", "a2", "instance-a");
        Member impostor = h.staticMember("g", "a3", "instance-b");
        again.join(List.of("t"), Optional.empty());
        assertEquals(mine, again.partitionsOf("t"), "the same partitions, at once");
        assertEquals(groupEpoch, describe("g").groupEpoch(), "no new assignment for a static member's restart");
        assertEquals(BrokerError.FENCED_INSTANCE_ID, failure(a.heartbeatWithEpoch(a.epoch)), "the old incarnation");
        Member twin = h.staticMember("g", "a4", "instance-a");
        CompletableFuture<ConsumerHeartbeatResult> clash = twin.send(new ConsumerHeartbeatRequest("g", "a4", 0,
                Optional.of("instance-a"), Optional.empty(), 1000, Optional.of(List.of("t")), Optional.empty(),
                Optional.empty(), Optional.of(List.of()), "c", "h"));
        assertEquals(BrokerError.UNRELEASED_INSTANCE_ID, failure(clash), "the instance is in use");
        impostor.join(List.of("t"), Optional.empty());
        assertEquals(3, describe("g").members().size());
    }

    @Test
    void offsetsAreCommittedOnlyWithTheMembersCurrentEpoch() {
        Member[] ab = formTwo("g");
        Member a = ab[0];
        OffsetCommit offset = new OffsetCommit("t", 0, 42, -1, "");
        List<PartitionResult> ok = done(h.coordinator.commitOffsets(
                new OffsetCommitRequest("g", a.epoch, a.memberId, Optional.empty(), List.of(offset))));
        assertEquals(Optional.empty(), ok.get(0).error());
        List<PartitionResult> stale = done(h.coordinator.commitOffsets(
                new OffsetCommitRequest("g", a.epoch - 1, a.memberId, Optional.empty(), List.of(offset))));
        assertEquals(Optional.of(BrokerError.STALE_MEMBER_EPOCH), stale.get(0).error());
        List<PartitionResult> unknown = done(h.coordinator.commitOffsets(
                new OffsetCommitRequest("g", a.epoch, "nobody", Optional.empty(), List.of(offset))));
        assertEquals(Optional.of(BrokerError.UNKNOWN_MEMBER_ID), unknown.get(0).error());
        List<PartitionResult> admin = done(h.coordinator.commitOffsets(
                new OffsetCommitRequest("g", -1, "", Optional.empty(), List.of(offset))));
        assertEquals(Optional.of(BrokerError.UNKNOWN_MEMBER_ID), admin.get(0).error(), "not while the group has members");

        assertEquals(42, done(h.coordinator.fetchOffsets(new OffsetFetchRequest("g", Optional.empty(), false,
                Optional.of(a.memberId), a.epoch))).get(0).offset());
        assertEquals(BrokerError.STALE_MEMBER_EPOCH, failure(h.coordinator.fetchOffsets(new OffsetFetchRequest("g",
                Optional.empty(), false, Optional.of(a.memberId), a.epoch + 1))));
        assertEquals(42, done(h.coordinator.fetchOffsets(new OffsetFetchRequest("g", Optional.empty(), false,
                Optional.empty(), -1))).get(0).offset(), "Admin fetches without a member");

        ab[0].leave(-1);
        ab[1].leave(-1);
        List<PartitionResult> adminEmpty = done(h.coordinator.commitOffsets(
                new OffsetCommitRequest("g", -1, "", Optional.empty(), List.of(offset))));
        assertEquals(Optional.empty(), adminEmpty.get(0).error(), "Admin may commit once the group is empty");
    }

    @Test
    void consumerAndClassicGroupsShareTheIdsAsKafkaDoes() {
        formTwo("g");
        // A classic member cannot join the consumer group.
        assertEquals(BrokerError.INCONSISTENT_GROUP_PROTOCOL, failure(h.coordinator.joinGroup(
                Harness.joinRequest("g", "", "classic", Optional.empty(), Harness.subscription("t")))));
        // DescribeGroups does not describe it; ListGroups lists it as a consumer group.
        GroupDescription asClassic = done(h.coordinator.describeGroups(List.of("g"))).get(0);
        assertFalse(asClassic.exists());
        assertEquals(GroupState.DEAD, asClassic.state());
        List<GroupListing> listed = done(h.coordinator.listGroups(Set.of(), Set.of(GroupType.CONSUMER)));
        assertEquals(List.of(new GroupListing("g", "consumer", GroupState.STABLE, GroupType.CONSUMER)), listed);
        assertEquals(BrokerError.NON_EMPTY_GROUP, done(h.coordinator.deleteGroups(List.of("g"))).get(0).error().orElseThrow());

        // A classic group with members is not a consumer group.
        CompletableFuture<io.cairn.broker.spi.groups.JoinResult> classic = h.coordinator.joinGroup(
                Harness.joinRequest("c", "", "classic", Optional.empty(), Harness.subscription("t"))).toCompletableFuture();
        h.clock.advance(3_000);
        assertTrue(classic.isDone());
        Member m = h.member("c", "m");
        CompletableFuture<ConsumerHeartbeatResult> intoClassic = m.send(new ConsumerHeartbeatRequest("c", "m", 0,
                Optional.empty(), Optional.empty(), 1000, Optional.of(List.of("t")), Optional.empty(), Optional.empty(),
                Optional.of(List.of()), "c", "h"));
        assertEquals(BrokerError.GROUP_ID_NOT_FOUND, failure(intoClassic));
        ConsumerGroupDescription notConsumer = describe("c");
        assertEquals(Optional.of(BrokerError.GROUP_ID_NOT_FOUND), notConsumer.error());
        assertEquals("Group c is not a consumer group.", notConsumer.errorMessage());
    }

    @Test
    void anEmptyConsumerGroupIsDeletedWithItsOffsets() throws Exception {
        Member[] ab = formTwo("g");
        done(h.coordinator.commitOffsets(new OffsetCommitRequest("g", ab[0].epoch, ab[0].memberId, Optional.empty(),
                List.of(new OffsetCommit("t", 0, 7, -1, "")))));
        ab[0].leave(-1);
        ab[1].leave(-1);
        assertEquals(GroupState.EMPTY, describe("g").state());
        assertEquals(Optional.empty(), done(h.coordinator.deleteGroups(List.of("g"))).get(0).error());
        assertEquals(Optional.of(BrokerError.GROUP_ID_NOT_FOUND), describe("g").error());
        assertTrue(h.store.fetch("g").isEmpty());
    }

    @Test
    void aHeartbeatWaitsForAMissingAssignorAndThenFailsOrProceeds() {
        ConsumerHarness bare = new ConsumerHarness(Map.of("cairn.plugin.wait.ms", "10000"), false);
        bare.topics.put("t", 2);
        Member a = bare.member("g", "a");
        CompletableFuture<ConsumerHeartbeatResult> waiting = a.send(new ConsumerHeartbeatRequest("g", "a", 0,
                Optional.empty(), Optional.empty(), 1000, Optional.of(List.of("t")), Optional.empty(), Optional.empty(),
                Optional.of(List.of()), "c", "h"));
        bare.clock.advance(9_999);
        assertFalse(waiting.isDone(), "waits up to cairn.plugin.wait.ms");
        bare.clock.advance(1);
        assertEquals(BrokerError.COORDINATOR_NOT_AVAILABLE, failure(waiting));

        CompletableFuture<ConsumerHeartbeatResult> second = a.send(new ConsumerHeartbeatRequest("g", "a", 0,
                Optional.empty(), Optional.empty(), 1000, Optional.of(List.of("t")), Optional.empty(), Optional.empty(),
                Optional.of(List.of()), "c", "h"));
        bare.clock.advance(2_000);
        assertFalse(second.isDone());
        bare.addAssignors();
        ConsumerHeartbeatResult joined = done(second);
        assertEquals(1, joined.memberEpoch());
        assertEquals(2, joined.assignment().orElseThrow().get(0).partitions().size());
    }

    @Test
    void offsetsOfSubscribedTopicsStayAndOthersExpireOrMayBeDeleted() {
        h.topics.put("t", 1);
        h.topics.put("old", 1);
        Member a = h.member("g", "a");
        a.join(List.of("t"), Optional.empty());
        done(h.coordinator.commitOffsets(new OffsetCommitRequest("g", a.epoch, a.memberId, Optional.empty(), List.of(
                new OffsetCommit("t", 0, 3, -1, ""), new OffsetCommit("old", 0, 9, -1, "")))));
        List<PartitionResult> deleted = done(h.coordinator.deleteOffsets("g", List.of(
                new io.cairn.broker.spi.offsets.PartitionKey("t", 0))));
        assertEquals(Optional.of(BrokerError.GROUP_SUBSCRIBED_TO_TOPIC), deleted.get(0).error());

        // offsets.retention.minutes (7 days) later, with the member still heartbeating.
        for (long t = 0; t < 7L * 24 * 3600 * 1000; t += 40_000) {
            h.clock.advance(40_000);
            a.heartbeat();
        }
        h.coordinator.expireOffsets().join();
        List<io.cairn.broker.spi.groups.FetchedOffset> left = done(h.coordinator.fetchOffsets(
                new OffsetFetchRequest("g", Optional.empty(), false, Optional.empty(), -1)));
        assertEquals(List.of("t"), left.stream().map(io.cairn.broker.spi.groups.FetchedOffset::topic).toList(),
                "the subscribed topic's offset stays, the other expired");
    }

    @Test
    void aStaticMemberThatLeftTemporarilyAndDoesNotComeBackLosesItsPartitionsAtTheSessionTimeout() {
        h.topics.put("t", 4);
        Member a = h.staticMember("g", "a1", "instance-a");
        Member b = h.member("g", "b");
        a.join(List.of("t"), Optional.empty());
        b.join(List.of("t"), Optional.empty());
        for (int i = 0; i < 3; i++) {
            a.heartbeat();
            b.heartbeat();
        }
        a.leave(ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH);
        h.clock.advance(5_000);
        b.heartbeat();
        assertEquals(2, b.count(), "the static member's partitions wait for it");
        for (int i = 0; i < 9; i++) {
            h.clock.advance(5_000);
            b.heartbeat();
        }
        assertEquals(Set.of(0, 1, 2, 3), b.partitionsOf("t"), "its session ran out: all four to b");
        assertEquals(1, describe("g").members().size());
    }
}
