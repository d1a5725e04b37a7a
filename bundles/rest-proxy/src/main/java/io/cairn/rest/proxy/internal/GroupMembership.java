package io.cairn.rest.proxy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.broker.spi.groups.GroupProtocol;
import io.cairn.broker.spi.groups.HeartbeatRequest;
import io.cairn.broker.spi.groups.JoinRequest;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.JoinedMember;
import io.cairn.broker.spi.groups.LeavingMember;
import io.cairn.broker.spi.groups.MemberIdRequiredException;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * A subscribed REST consumer instance's membership of its group, through the broker's
 * {@link GroupCoordinator}, as a Kafka consumer's coordinator client would do it over the wire:
 * classic protocol, protocol type {@code consumer}, one protocol {@code range} whose metadata is
 * the consumer protocol's subscription; as leader, a range assignment in the consumer protocol's
 * format ({@link ConsumerProtocol}).
 *
 * <p>Kafka's eager rebalance: before every (re)join the partitions are given up
 * ({@link PartitionPositions#revokeForRejoin}), their positions committed first when auto-commit is
 * on; SyncGroup's assignment is taken as the new set. A timer heartbeats every
 * {@link #HEARTBEAT_INTERVAL_MS} — independent of HTTP calls, so the member stays alive between
 * {@code GET records} — and rejoins when the coordinator answers {@code REBALANCE_IN_PROGRESS},
 * when a pattern subscription matches other topics, or, as leader, when a subscribed topic's
 * partition count changed; it also auto-commits every {@link #AUTO_COMMIT_INTERVAL_MS}.
 *
 * <p>Thread-safety: state is guarded by {@code this}; coordinator stages complete on coordinator
 * threads and re-enter under the lock. While holding it, this class calls only
 * {@link PartitionPositions} and starts coordinator calls (asynchronously, through the worker pool,
 * for JoinGroup, which may complete on the calling thread).
 */
final class GroupMembership {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);

    /**
     * How long the coordinator waits for members to rejoin. The proxy rejoins from its timer within
     * a heartbeat interval, so this only bounds a rebalance that an instance cannot join at all.
     */
    static final int REBALANCE_TIMEOUT_MS = 60_000;
    /** A heartbeat costs a method call in the same JVM; one a second lets rebalances start quickly. */
    static final long HEARTBEAT_INTERVAL_MS = 1_000;
    /** Kafka's default {@code auto.commit.interval.ms}. */
    static final long AUTO_COMMIT_INTERVAL_MS = 5_000;

    private final ConsumerInstance.Config config;
    private final Supplier<GroupCoordinator> coordinators;
    private final LocalBroker broker;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final PartitionPositions positions;

    // Guarded by this.
    private boolean active;
    private List<String> topics = List.of();
    private Pattern pattern;
    private Set<String> joinedTopics = Set.of();
    private String memberId = "";
    private int generation = -1;
    private boolean joining;
    private boolean rejoinNeeded;
    /** Incremented whenever a running join becomes irrelevant (new subscription, leave). */
    private int joinEpoch;
    private boolean leader;
    /** As leader: the partition count of each topic of the group when it assigned (-1: no such topic). */
    private Map<String, Integer> assignedCounts = Map.of();
    private final List<CompletableFuture<Void>> joinWaiters = new ArrayList<>();
    private ScheduledFuture<?> heartbeats;
    private long lastAutoCommitNanos = System.nanoTime();
    /** Why the last join failed, until one succeeds: what {@code GET records} reports instead of waiting in vain. */
    private BrokerException joinFailure;

    GroupMembership(ConsumerInstance.Config config, Supplier<GroupCoordinator> coordinators, LocalBroker broker,
            ScheduledExecutorService timer, Executor workers, PartitionPositions positions) {
        this.config = config;
        this.coordinators = coordinators;
        this.broker = broker;
        this.timer = timer;
        this.workers = workers;
        this.positions = positions;
    }

    private GroupCoordinator coordinator() {
        GroupCoordinator c = coordinators.get();
        if (c == null) {
            throw new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE, "The broker has no group coordinator");
        }
        return c;
    }

    /** Subscribes (replacing an earlier subscription) and starts joining. */
    synchronized void subscribe(List<String> names, Pattern regex) {
        active = true;
        topics = List.copyOf(names);
        pattern = regex;
        rejoinNeeded = true;
        if (heartbeats == null) {
            heartbeats = timer.scheduleWithFixedDelay(this::tick, HEARTBEAT_INTERVAL_MS, HEARTBEAT_INTERVAL_MS,
                    TimeUnit.MILLISECONDS);
        }
        startJoin();
    }

    /** The subscribed topics (for a pattern, those it matched when the member last joined). */
    synchronized List<String> subscription() {
        return new ArrayList<>(pattern == null ? new TreeSet<>(topics) : joinedTopics);
    }

    /** Whether the member holds its generation's assignment (not joining or waiting to rejoin). */
    synchronized boolean stable() {
        return active && !joining && generation >= 0;
    }

    /**
     * Why the member cannot join, if its last attempt failed with an error that retrying will not
     * cure by itself ({@code INCONSISTENT_GROUP_PROTOCOL}, {@code GROUP_MAX_SIZE_REACHED},
     * {@code INVALID_SESSION_TIMEOUT}, {@code INVALID_GROUP_ID}, no coordinator); it keeps retrying.
     */
    synchronized Optional<BrokerException> joinFailure() {
        return Optional.ofNullable(joinFailure);
    }

    /** A future completed when the running (re)join finishes, or at once if none runs. */
    synchronized CompletableFuture<Void> joined() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (!active || (!joining && generation >= 0)) {
            f.complete(null);
        } else {
            joinWaiters.add(f);
        }
        return f;
    }

    /**
     * Ends the membership: stops the timer, commits what was consumed if auto-commit is on, and
     * sends LeaveGroup. The stage completes when the coordinator answered; failures are logged,
     * not passed on.
     */
    synchronized CompletionStage<Void> leave(String reason) {
        active = false;
        joinEpoch++;
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        CompletionStage<Void> commit = config.autoCommit() ? commitLocked(positions.consumed()) : done();
        String id = memberId;
        memberId = "";
        generation = -1;
        joining = false;
        leader = false;
        positions.clear();
        wakeJoinWaiters();
        if (id.isEmpty()) {
            return quietly(commit, "auto-commit before leaving");
        }
        return quietly(commit, "auto-commit before leaving").thenCompose(x -> {
            try {
                return coordinator().leaveGroup(config.group(), List.of(new LeavingMember(id, Optional.empty(), Optional.of(reason))))
                        .<Void>thenApply(r -> null);
            } catch (BrokerException e) {
                return CompletableFuture.<Void>failedFuture(e);
            }
        }).handle((x, failure) -> {
            if (failure != null) {
                LOG.debug("REST consumer {}/{} could not leave cleanly: {}", config.group(), config.name(), failure.toString());
            }
            return null;
        });
    }

    /** Commits offsets as this member (its generation and member id). */
    synchronized CompletionStage<Void> commit(List<OffsetCommit> offsets) {
        return commitLocked(offsets);
    }

    private CompletionStage<Void> commitLocked(List<OffsetCommit> offsets) {
        if (offsets.isEmpty()) {
            return done();
        }
        if (generation < 0) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.REBALANCE_IN_PROGRESS,
                    "The consumer is (re)joining its group; commit after the next records call"));
        }
        return commit(coordinators, config.group(), generation, memberId, offsets).whenComplete((ok, failure) -> {
            if (failure != null && ConsumerInstance.unwrap(failure) instanceof BrokerException be) {
                onCommitRefused(be.error());
            }
        });
    }

    private synchronized void onCommitRefused(BrokerError error) {
        if (error == BrokerError.UNKNOWN_MEMBER_ID) {
            memberId = "";
            generation = -1;
        } else if (error == BrokerError.ILLEGAL_GENERATION || error == BrokerError.REBALANCE_IN_PROGRESS) {
            rejoinNeeded = true;
        }
    }

    /**
     * An OffsetCommit; the stage fails with the first partition error as a
     * {@link BrokerException} (or the coordinator's own failure).
     */
    static CompletionStage<Void> commit(Supplier<GroupCoordinator> coordinators, String group, int generation,
            String memberId, List<OffsetCommit> offsets) {
        GroupCoordinator coordinator = coordinators.get();
        if (coordinator == null) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                    "The broker has no group coordinator"));
        }
        return coordinator.commitOffsets(new OffsetCommitRequest(group, generation, memberId, Optional.empty(), offsets))
                .thenApply(GroupMembership::failOnError);
    }

    private static Void failOnError(List<PartitionResult> results) {
        Map<BrokerError, List<String>> errors = new TreeMap<>();
        for (PartitionResult r : results) {
            r.error().ifPresent(e -> errors.computeIfAbsent(e, x -> new ArrayList<>()).add(r.topic() + "-" + r.partition()));
        }
        if (errors.isEmpty()) {
            return null;
        }
        throw new CompletionException(new BrokerException(errors.keySet().iterator().next(), "Commit failed for " + errors));
    }

    private CompletionStage<Void> quietly(CompletionStage<Void> stage, String what) {
        return stage.handle((x, failure) -> {
            if (failure != null) {
                LOG.debug("REST consumer {}/{}: {} failed: {}", config.group(), config.name(), what, failure.toString());
            }
            return null;
        });
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private void wakeJoinWaiters() {
        if (joinWaiters.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> waiting = new ArrayList<>(joinWaiters);
        joinWaiters.clear();
        // Completed on a worker: a waiter's continuation must not run under this lock.
        try {
            workers.execute(() -> waiting.forEach(f -> f.complete(null)));
        } catch (RejectedExecutionException shuttingDown) {
            waiting.forEach(f -> f.complete(null));
        }
    }

    // ---------------------------------------------------------------- join, sync, heartbeat

    private Set<String> currentTopics() {
        if (pattern == null) {
            return new TreeSet<>(topics);
        }
        Set<String> out = new TreeSet<>();
        for (TopicInfo t : broker.cluster().topics()) {
            if (!t.internal() && pattern.matcher(t.name()).matches()) {
                out.add(t.name());
            }
        }
        return out;
    }

    /** Partition counts of the topics, -1 for a topic that does not exist. */
    private Map<String, Integer> partitionCounts(Collection<String> names) {
        Map<String, Integer> out = new TreeMap<>();
        var cluster = broker.cluster();
        for (String t : names) {
            out.put(t, cluster.topic(t).map(info -> info.partitions().size()).orElse(-1));
        }
        return out;
    }

    /** Starts a (re)join unless one is running. Caller holds the lock. */
    private void startJoin() {
        if (!active || joining) {
            return;
        }
        joining = true;
        rejoinNeeded = false;
        int epoch = ++joinEpoch;
        List<OffsetCommit> consumed = positions.revokeForRejoin();
        CompletionStage<Void> before = config.autoCommit() && generation >= 0
                ? quietly(commitLocked(consumed), "auto-commit before rejoining") : done();
        Set<String> wanted = currentTopics();
        joinedTopics = wanted;
        JoinRequest request = new JoinRequest(config.group(), memberId, Optional.empty(), config.name(),
                config.clientHost(), config.sessionTimeoutMs(), REBALANCE_TIMEOUT_MS, ConsumerProtocol.PROTOCOL_TYPE,
                List.of(new GroupProtocol(ConsumerProtocol.RANGE, ConsumerProtocol.subscription(wanted))),
                false, false, Optional.empty());
        // Asynchronously: the coordinator may answer on the calling thread, and this thread holds the lock.
        before.thenComposeAsync(x -> coordinator().joinGroup(request), workers)
                .thenCompose(join -> sync(epoch, join))
                .whenComplete((sync, failure) -> onSynced(epoch, sync, failure));
    }

    private CompletionStage<SyncResult> sync(int epoch, JoinResult join) {
        boolean lead;
        synchronized (this) {
            if (epoch != joinEpoch) {
                throw new CompletionException(new IllegalStateException("superseded by a newer join"));
            }
            memberId = join.memberId();
            generation = join.generationId();
            lead = join.leaderId().equals(memberId) && !join.skipAssignment();
            leader = lead;
        }
        Map<String, byte[]> assignments = Map.of();
        if (lead) {
            List<ConsumerProtocol.Member> members = new ArrayList<>();
            for (JoinedMember m : join.members()) {
                List<String> subscribed;
                try {
                    subscribed = ConsumerProtocol.subscribedTopics(m.metadata());
                } catch (IllegalArgumentException e) {
                    LOG.warn("Group {}: member {} sent a subscription that is not the consumer protocol's; it gets no partitions",
                            config.group(), m.memberId());
                    subscribed = List.of();
                }
                members.add(new ConsumerProtocol.Member(m.memberId(), m.groupInstanceId(), subscribed));
            }
            Map<String, Integer> counts = partitionCounts(ConsumerProtocol.allTopics(members));
            Map<String, Integer> existing = new TreeMap<>(counts);
            existing.values().removeIf(n -> n < 0);
            Map<String, byte[]> plan = new HashMap<>();
            ConsumerProtocol.rangeAssign(members, existing).forEach((id, parts) -> plan.put(id, ConsumerProtocol.assignment(parts)));
            assignments = plan;
            synchronized (this) {
                assignedCounts = counts;
            }
        }
        return coordinator().syncGroup(new SyncRequest(config.group(), join.generationId(), join.memberId(), Optional.empty(),
                Optional.of(ConsumerProtocol.PROTOCOL_TYPE), join.protocolName(), assignments));
    }

    private synchronized void onSynced(int epoch, SyncResult sync, Throwable failure) {
        if (epoch != joinEpoch) {
            return;
        }
        joining = false;
        if (failure != null) {
            Throwable cause = ConsumerInstance.unwrap(failure);
            generation = -1;
            rejoinNeeded = true;
            if (cause instanceof MemberIdRequiredException required) {
                memberId = required.memberId();
            } else if (cause instanceof BrokerException be && be.error() == BrokerError.UNKNOWN_MEMBER_ID) {
                memberId = "";
                positions.clear();
            }
            LOG.debug("REST consumer {}/{}: join failed, retrying: {}", config.group(), config.name(), cause.toString());
            if (cause instanceof BrokerException be && switch (be.error()) {
                case INCONSISTENT_GROUP_PROTOCOL, GROUP_MAX_SIZE_REACHED, INVALID_SESSION_TIMEOUT, INVALID_GROUP_ID,
                        COORDINATOR_NOT_AVAILABLE -> true;
                default -> false;
            }) {
                joinFailure = be;
                wakeJoinWaiters();
            }
            if (cause instanceof BrokerException be && (be.error() == BrokerError.REBALANCE_IN_PROGRESS
                    || be.error() == BrokerError.MEMBER_ID_REQUIRED || be.error() == BrokerError.UNKNOWN_MEMBER_ID)) {
                startJoin();
            }
            // Anything else (no coordinator, …) is retried by the next heartbeat tick.
            return;
        }
        List<PartitionKey> assigned;
        try {
            assigned = ConsumerProtocol.assignedPartitions(sync.assignment());
        } catch (IllegalArgumentException e) {
            LOG.warn("Group {}: the leader's assignment for {} is not the consumer protocol's; no partitions",
                    config.group(), memberId);
            assigned = List.of();
        }
        positions.assignFromGroup(assigned);
        joinFailure = null;
        LOG.debug("REST consumer {}/{} is member {} of generation {} with {}", config.group(), config.name(),
                memberId, generation, assigned);
        if (rejoinNeeded) {
            startJoin();
        } else {
            wakeJoinWaiters();
        }
    }

    /** The timer: rejoin when needed, auto-commit, heartbeat. Never blocks. */
    private void tick() {
        int gen;
        String id;
        int epoch;
        synchronized (this) {
            if (!active || joining) {
                return;
            }
            try {
                if (pattern != null && !currentTopics().equals(joinedTopics)) {
                    rejoinNeeded = true;
                }
                if (leader && generation >= 0 && !partitionCounts(assignedCounts.keySet()).equals(assignedCounts)) {
                    rejoinNeeded = true;
                }
                if (rejoinNeeded || generation < 0) {
                    startJoin();
                    return;
                }
                if (config.autoCommit()
                        && System.nanoTime() - lastAutoCommitNanos > TimeUnit.MILLISECONDS.toNanos(AUTO_COMMIT_INTERVAL_MS)) {
                    lastAutoCommitNanos = System.nanoTime();
                    quietly(commitLocked(positions.consumed()), "auto-commit");
                }
            } catch (RuntimeException e) {
                LOG.debug("REST consumer {}/{}: timer failed: {}", config.group(), config.name(), e.toString());
                return;
            }
            gen = generation;
            id = memberId;
            epoch = joinEpoch;
        }
        try {
            coordinator().heartbeat(new HeartbeatRequest(config.group(), gen, id, Optional.empty()))
                    .whenComplete((ok, failure) -> onHeartbeat(epoch, failure));
        } catch (BrokerException e) {
            LOG.debug("REST consumer {}/{}: no heartbeat: {}", config.group(), config.name(), e.toString());
        }
    }

    private synchronized void onHeartbeat(int epoch, Throwable failure) {
        if (failure == null || epoch != joinEpoch || !(ConsumerInstance.unwrap(failure) instanceof BrokerException be)) {
            return;
        }
        switch (be.error()) {
            case REBALANCE_IN_PROGRESS -> startJoin();
            case UNKNOWN_MEMBER_ID -> {
                memberId = "";
                generation = -1;
                positions.clear();
                startJoin();
            }
            case ILLEGAL_GENERATION, FENCED_INSTANCE_ID -> {
                generation = -1;
                startJoin();
            }
            default -> LOG.debug("REST consumer {}/{}: heartbeat failed: {}", config.group(), config.name(), be.toString());
        }
    }
}
