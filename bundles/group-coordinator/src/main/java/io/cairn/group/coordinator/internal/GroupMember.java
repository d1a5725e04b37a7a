package io.cairn.group.coordinator.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.cairn.broker.spi.groups.GroupProtocol;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.SyncResult;

/**
 * One member of a classic group: what it joined with, its assignment, and the JoinGroup or
 * SyncGroup response it is waiting for. Kafka's {@code MemberMetadata}.
 *
 * <p>Not thread-safe: guarded by its group's lock.
 */
final class GroupMember {

    String memberId;
    final Optional<String> groupInstanceId;
    final String clientId;
    final String clientHost;
    final String protocolType;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<GroupProtocol> protocols;
    byte[] assignment = new byte[0];

    /** The JoinGroup response this member waits for, or {@code null}. */
    CompletableFuture<JoinResult> awaitingJoin;
    /** The SyncGroup response this member waits for, or {@code null}. */
    CompletableFuture<SyncResult> awaitingSync;
    /** Joined but not yet part of a generation: its session is the new-member join timeout. */
    boolean isNew;
    /** The session: when it fires the member has not been heard from in time. */
    final TimerSlot session = new TimerSlot();

    GroupMember(String memberId, Optional<String> groupInstanceId, String clientId, String clientHost,
            int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType, List<GroupProtocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
    }

    boolean isStatic() {
        return groupInstanceId.isPresent();
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** The metadata this member sent for {@code protocol}. */
    byte[] metadata(String protocol) {
        for (GroupProtocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        throw new IllegalStateException("member " + memberId + " does not support protocol " + protocol);
    }

    boolean supports(String protocol) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    /** Whether {@code others} are the same protocols with the same metadata, in the same order. */
    boolean matches(List<GroupProtocol> others) {
        if (others.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < others.size(); i++) {
            GroupProtocol a = protocols.get(i);
            GroupProtocol b = others.get(i);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "member " + memberId + groupInstanceId.map(i -> " (instance " + i + ")").orElse("");
    }
}
