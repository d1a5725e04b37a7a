package io.cairn.group.coordinator.internal;

import static io.cairn.group.coordinator.internal.Harness.assignment;
import static io.cairn.group.coordinator.internal.Harness.done;
import static io.cairn.group.coordinator.internal.Harness.failure;
import static io.cairn.group.coordinator.internal.Harness.subscription;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.GroupDeletion;
import io.cairn.broker.spi.groups.GroupListing;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.GroupType;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.LeavingMember;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.offsets.PartitionKey;

/** Committing, fetching, deleting and expiring offsets through the coordinator. */
class OffsetsTest {

    private final Harness h = new Harness();

    static CompletableFuture<List<PartitionResult>> commit(Harness h, String group, int generation, String member,
            long offset) {
        return h.coordinator.commitOffsets(new OffsetCommitRequest(group, generation, member, Optional.empty(),
                List.of(new OffsetCommit("t", 0, offset, 4, "m" + offset)))).toCompletableFuture();
    }

    static BrokerError commitError(Harness h, String group, int generation, String member) {
        return done(commit(h, group, generation, member, 1)).get(0).error().orElse(null);
    }

    private List<FetchedOffset> fetch(String group, PartitionKey... keys) {
        return fetch(h, group, keys);
    }

    private static List<FetchedOffset> fetch(Harness h, String group, PartitionKey... keys) {
        return done(h.coordinator.fetchOffsets(new OffsetFetchRequest(group,
                keys.length == 0 ? Optional.empty() : Optional.of(List.of(keys)), false, Optional.empty(), -1)));
    }

    private JoinResult stableOneMember(String group, String... topics) {
        CompletableFuture<JoinResult> a = h.join(group, "", "c", subscription(topics));
        h.clock.advance(3_000);
        JoinResult j = done(a);
        done(h.sync(group, j, Map.of(j.memberId(), assignment(topics[0], 0))));
        return j;
    }

    @Test
    void aMemberCommitsAndTheOffsetsComeBackWithMetadata() {
        JoinResult j = stableOneMember("g", "t");
        List<PartitionResult> r = done(h.coordinator.commitOffsets(new OffsetCommitRequest("g", 1, j.memberId(),
                Optional.empty(), List.of(new OffsetCommit("t", 0, 42, 3, "up to 41"), new OffsetCommit("t", 1, 7, -1, null)))));
        assertEquals(List.of(new PartitionResult("t", 0, Optional.empty()), new PartitionResult("t", 1, Optional.empty())), r);
        assertEquals(List.of(new FetchedOffset("t", 0, 42, 3, "up to 41", Optional.empty()),
                new FetchedOffset("t", 1, 7, -1, "", Optional.empty())), fetch("g"));
        assertEquals(List.of(new FetchedOffset("t", 5, -1, -1, "", Optional.empty())), fetch("g", new PartitionKey("t", 5)),
                "a partition without a commit answers -1");
    }

    @Test
    void aClientWithoutAGroupMayCommitOnlyWhileTheGroupHasNoMembers() {
        assertEquals(null, commitError(h, "standalone", -1, ""), "simple consumer / admin: allowed");
        assertEquals(1, fetch("standalone").get(0).offset());
        assertEquals(BrokerError.ILLEGAL_GENERATION, commitError(h, "nogroup", 3, "someone"));
        stableOneMember("g", "t");
        assertEquals(BrokerError.UNKNOWN_MEMBER_ID, commitError(h, "g", -1, ""));
    }

    @Test
    void commitsWhileCompletingARebalanceAreRefused() {
        CompletableFuture<JoinResult> a = h.join("g", "", "c", subscription("t"));
        h.clock.advance(3_000);
        JoinResult j = done(a);
        assertEquals(BrokerError.REBALANCE_IN_PROGRESS, commitError(h, "g", 1, j.memberId()));
    }

    @Test
    void metadataOverTheLimitIsRefusedPerPartition() {
        String big = "x".repeat(4097);
        List<PartitionResult> r = done(h.coordinator.commitOffsets(new OffsetCommitRequest("g", -1, "", Optional.empty(),
                List.of(new OffsetCommit("t", 0, 1, -1, big), new OffsetCommit("t", 1, 1, -1, "ok")))));
        assertEquals(Optional.of(BrokerError.OFFSET_METADATA_TOO_LARGE), r.get(0).error());
        assertEquals(Optional.empty(), r.get(1).error());
        assertEquals(1, fetch("g").size());
    }

    @Test
    void aFailingStoreAnswersCoordinatorNotAvailable() {
        h.store.failing.set(true);
        assertEquals(BrokerError.COORDINATOR_NOT_AVAILABLE, commitError(h, "g", -1, ""));
        assertEquals(BrokerError.COORDINATOR_NOT_AVAILABLE, failure(h.coordinator.fetchOffsets(
                new OffsetFetchRequest("g", Optional.empty(), false, Optional.empty(), -1))));
        h.store.failing.set(false);
        assertEquals(null, commitError(h, "g", -1, ""));
    }

    @Test
    void withoutAStoreCallsWaitABoundedTimeThenFailRetriably() {
        Harness none = new Harness(Map.of("cairn.plugin.wait.ms", "5000"), false);
        CompletableFuture<List<PartitionResult>> waiting = commit(none, "g", -1, "", 9);
        none.clock.advance(4_999);
        assertFalse(waiting.isDone(), "parked while the store is missing");
        none.clock.advance(1);
        assertEquals(Optional.of(BrokerError.COORDINATOR_NOT_AVAILABLE), done(waiting).get(0).error());

        CompletableFuture<List<PartitionResult>> rescued = commit(none, "g", -1, "", 10);
        none.clock.advance(1_000);
        none.selected.added(new SelectedOffsetStore.Candidate(5, 0, "file", none.store));
        assertEquals(Optional.empty(), done(rescued).get(0).error(), "the store arrived within the wait");
        assertEquals(10, none.store.offset("g", "t", 0));
    }

    @Test
    void groupsAreListedDescribedAndDeletedWithTheirOffsets() {
        JoinResult j = stableOneMember("live", "t");
        commit(h, "live", 1, j.memberId(), 5);
        commit(h, "offsets-only", -1, "", 3);
        assertEquals(List.of(new GroupListing("live", "consumer", GroupState.STABLE, GroupType.CLASSIC),
                new GroupListing("offsets-only", "", GroupState.EMPTY, GroupType.CLASSIC)),
                done(h.coordinator.listGroups(Set.of(), Set.of())));
        assertEquals(List.of("offsets-only"), done(h.coordinator.listGroups(Set.of(GroupState.EMPTY), Set.of()))
                .stream().map(GroupListing::groupId).toList());
        assertTrue(done(h.coordinator.describeGroups(List.of("offsets-only"))).get(0).exists());

        List<GroupDeletion> deleted = done(h.coordinator.deleteGroups(List.of("live", "offsets-only", "never")));
        assertEquals(List.of(new GroupDeletion("live", Optional.of(BrokerError.NON_EMPTY_GROUP)),
                new GroupDeletion("offsets-only", Optional.empty()),
                new GroupDeletion("never", Optional.of(BrokerError.GROUP_ID_NOT_FOUND))), deleted);
        assertTrue(fetch("offsets-only").isEmpty());
        assertEquals(1, fetch("live").size());
    }

    @Test
    void offsetsOfTopicsTheGroupConsumesCannotBeDeleted() {
        JoinResult j = stableOneMember("g", "t");
        done(h.coordinator.commitOffsets(new OffsetCommitRequest("g", 1, j.memberId(), Optional.empty(),
                List.of(new OffsetCommit("t", 0, 1, -1, ""), new OffsetCommit("old", 0, 1, -1, "")))));
        List<PartitionResult> r = done(h.coordinator.deleteOffsets("g", List.of(new PartitionKey("t", 0),
                new PartitionKey("old", 0))));
        assertEquals(Optional.of(BrokerError.GROUP_SUBSCRIBED_TO_TOPIC), r.get(0).error());
        assertEquals(Optional.empty(), r.get(1).error());
        assertEquals(List.of("t"), fetch("g").stream().map(FetchedOffset::topic).toList());
        assertEquals(BrokerError.GROUP_ID_NOT_FOUND, failure(h.coordinator.deleteOffsets("never",
                List.of(new PartitionKey("t", 0)))));
    }

    @Test
    void offsetsExpireRetentionAfterTheirCommitOrAfterTheGroupEmptied() {
        Harness h = new Harness(Map.of("offsets.retention.minutes", "1"), true);
        long retention = 60_000;
        commit(h, "simple", -1, "", 1);
        CompletableFuture<JoinResult> a = h.join("g", "", "c", subscription("t"));
        h.clock.advance(3_000);
        JoinResult j = done(a);
        done(h.sync("g", j, Map.of(j.memberId(), assignment("t", 0))));
        commit(h, "g", 1, j.memberId(), 5);
        for (int i = 0; i < 8; i++) {
            h.clock.advance(retention / 8);
            done(h.heartbeat("g", 1, j.memberId()));
        }
        done(h.coordinator.expireOffsets());
        assertTrue(fetch(h, "simple").isEmpty(), "a simple consumer's offset expires retention after its commit");
        assertEquals(1, fetch(h, "g").size(), "a stable group's offsets of subscribed topics do not expire");

        done(h.coordinator.leaveGroup("g", List.of(new LeavingMember(j.memberId(), Optional.empty(), Optional.empty()))));
        h.clock.advance(retention - 1);
        done(h.coordinator.expireOffsets());
        assertEquals(1, fetch(h, "g").size(), "kept until retention after the group became empty");
        h.clock.advance(1);
        done(h.coordinator.expireOffsets());
        assertTrue(fetch(h, "g").isEmpty());
        assertTrue(done(h.coordinator.listGroups(Set.of(), Set.of())).isEmpty(), "an empty group without offsets is gone");
    }

    @Test
    void expiryRunsByItselfEveryCheckInterval() {
        commit(h, "simple", -1, "", 1);
        h.coordinator.startRetention();
        h.clock.advance(h.config.offsetsRetentionMs() + h.config.offsetsRetentionCheckIntervalMs());
        assertTrue(fetch("simple").isEmpty());
    }
}
