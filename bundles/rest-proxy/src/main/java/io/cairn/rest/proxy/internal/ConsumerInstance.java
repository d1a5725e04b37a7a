package io.cairn.rest.proxy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
import io.cairn.broker.spi.groups.FetchedOffset;
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
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * One REST consumer instance: what a Kafka consumer is for a REST client. A subscribed instance is
 * a real member of its group in the broker's {@link GroupCoordinator} — classic protocol, protocol
 * type {@code consumer}, assignor {@code range}, the consumer protocol's subscription and
 * assignment format ({@link ConsumerProtocol}) — so it shares partitions and committed offsets
 * with Kafka clients of the same group. An instance given partitions by {@code assignments} is a
 * "simple" consumer that uses the group only for offsets (commits with generation -1).
 *
 * <p>Membership, Kafka's eager rebalance: on every (re)join the instance gives up its partitions
 * (committing their positions first when auto-commit is on), and takes positions of the new
 * assignment from the committed offsets, else by {@code auto.offset.reset}; a partition it keeps
 * keeps its in-memory position. A timer heartbeats every {@link #HEARTBEAT_INTERVAL_MS} while the
 * instance is subscribed — independent of HTTP calls, so the member stays alive between
 * {@code GET records} — rejoins when the coordinator answers {@code REBALANCE_IN_PROGRESS}, when a
 * pattern subscription matches other topics, or (as leader) when a subscribed topic's partition
 * count changed, and auto-commits every {@link #AUTO_COMMIT_INTERVAL_MS}.
 *
 * <p>Positions: {@link #positions} holds the assigned partitions and each one's next offset to
 * return ({@link #UNKNOWN} until resolved); only records returned to the client move it, so
 * "commit what was consumed" commits exactly what the client has seen.
 *
 * <p>Thread-safety: state is guarded by {@code this}; coordinator stages complete on coordinator
 * threads and re-enter under the lock; no coordinator call is made while waiting for another.
 */
final class ConsumerInstance {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerInstance.class);

    /**
     * Kafka's default {@code session.timeout.ms}: the member is dropped this long after the proxy
     * stops heartbeating. The broker key {@code consumer.session.timeout.ms} changes it.
     */
    static final int DEFAULT_SESSION_TIMEOUT_MS = 45_000;
    /**
     * How long the coordinator waits for members to rejoin. The proxy rejoins from its timer within
     * a heartbeat interval, so this only bounds a rebalance that a proxy instance cannot join at all.
     */
    static final int REBALANCE_TIMEOUT_MS = 60_000;
    /** A heartbeat costs a method call in the same JVM; one a second lets rebalances start quickly. */
    static final long HEARTBEAT_INTERVAL_MS = 1_000;
    /** Kafka's default {@code auto.commit.interval.ms}. */
    static final long AUTO_COMMIT_INTERVAL_MS = 5_000;
    static final long UNKNOWN = -1;

    enum Format { BINARY, JSON }

    enum Reset { EARLIEST, LATEST, NONE }

    /** The instance's configuration, from the create request. */
    record Config(String group, String name, Format format, Reset autoOffsetReset, boolean autoCommit,
            int fetchMinBytes, int requestTimeoutMs, String clientHost, int sessionTimeoutMs) {
    }

    private enum Mode { NONE, SUBSCRIBED, ASSIGNED }

    /** A seek that is resolved against the log when the partition is next read. */
    enum Seek { BEGINNING, END }

    final Config config;
    private final Supplier<GroupCoordinator> coordinators;
    final LocalBroker broker;
    private final java.util.concurrent.ScheduledExecutorService timer;
    final java.util.concurrent.Executor workers;

    // All below guarded by this.
    private long lastUsedNanos = System.nanoTime();
    private boolean closed;
    private Mode mode = Mode.NONE;
    private List<String> topics = List.of();
    private Pattern pattern;
    private Set<String> joinedTopics = Set.of();
    private String memberId = "";
    private int generation = -1;
    private boolean joining;
    private boolean rejoinNeeded;
    /** Incremented whenever a running join becomes irrelevant (new subscription, unsubscribe, close). */
    private int joinEpoch;
    private boolean leader;
    /** As leader: the partition count of each topic of the group when the assignment was made. */
    private Map<String, Integer> assignedCounts = Map.of();
    private Map<PartitionKey, Long> positions = new LinkedHashMap<>();
    /** Positions of the partitions held before the current rejoin, for those the new assignment keeps. */
    private Map<PartitionKey, Long> retained = Map.of();
    private final Map<PartitionKey, Seek> seeks = new HashMap<>();
    private final List<CompletableFuture<Void>> joinWaiters = new ArrayList<>();
    private ScheduledFuture<?> heartbeats;
    private long lastAutoCommitNanos = System.nanoTime();
    private CompletableFuture<?> reads = CompletableFuture.completedFuture(null);
    private int rotation;

    ConsumerInstance(Config config, Supplier<GroupCoordinator> coordinators, LocalBroker broker,
            java.util.concurrent.ScheduledExecutorService timer, java.util.concurrent.Executor workers) {
        this.config = config;
        this.coordinators = coordinators;
        this.broker = broker;
        this.timer = timer;
        this.workers = workers;
    }

    java.util.concurrent.ScheduledExecutorService timer() {
        return timer;
    }

    private GroupCoordinator coordinator() {
        GroupCoordinator c = coordinators.get();
        if (c == null) {
            throw new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE, "The broker has no group coordinator");
        }
        return c;
    }

    // ---------------------------------------------------------------- lifecycle and bookkeeping

    synchronized void touch() {
        lastUsedNanos = System.nanoTime();
    }

    synchronized boolean idleLongerThan(long nanos, long now) {
        return now - lastUsedNanos > nanos;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the instance: commits what was consumed if auto-commit is on and leaves the group.
     * Idempotent; the stage completes when the coordinator has answered (failures are logged, not
     * passed on: the instance is gone either way).
     */
    CompletionStage<Void> close(String reason) {
        CompletionStage<Void> done;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            done = leaveLocked(reason);
            wakeJoinWaiters();
        }
        return done;
    }

    /** Stops membership: auto-commit, LeaveGroup, timer off. Caller holds the lock. */
    private CompletionStage<Void> leaveLocked(String reason) {
        joinEpoch++;
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        CompletionStage<Void> commit = config.autoCommit() ? commitLocked(knownPositions(positions)) : done();
        boolean member = mode == Mode.SUBSCRIBED && !memberId.isEmpty();
        String id = memberId;
        memberId = "";
        generation = -1;
        joining = false;
        leader = false;
        positions = new LinkedHashMap<>();
        retained = Map.of();
        seeks.clear();
        mode = Mode.NONE;
        if (!member) {
            return quietly(commit);
        }
        return quietly(commit).thenCompose(x -> {
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

    private CompletionStage<Void> quietly(CompletionStage<Void> stage) {
        return stage.handle((x, failure) -> {
            if (failure != null) {
                LOG.debug("REST consumer {}/{}: auto-commit before leaving failed: {}", config.group(), config.name(),
                        failure.toString());
            }
            return null;
        });
    }

    private void checkOpen() {
        if (closed) {
            throw RestError.instanceNotFound();
        }
    }

    // ---------------------------------------------------------------- subscription and assignment

    /** Subscribes to topics by name (or, with {@code pattern}, to every topic matching it); replaces an earlier subscription. */
    synchronized void subscribe(List<String> names, Pattern regex) {
        checkOpen();
        touch();
        if (mode == Mode.ASSIGNED) {
            throw RestError.illegalState("Subscription to topics, partitions and pattern are mutually exclusive");
        }
        mode = Mode.SUBSCRIBED;
        topics = List.copyOf(names);
        pattern = regex;
        rejoinNeeded = true;
        if (heartbeats == null) {
            heartbeats = timer.scheduleWithFixedDelay(this::tick, HEARTBEAT_INTERVAL_MS, HEARTBEAT_INTERVAL_MS,
                    TimeUnit.MILLISECONDS);
        }
        startJoinLocked();
    }

    /** The subscribed topics (for a pattern, those it matched when the instance last joined). */
    synchronized List<String> subscription() {
        checkOpen();
        touch();
        if (mode != Mode.SUBSCRIBED) {
            return List.of();
        }
        return new ArrayList<>(pattern == null ? new TreeSet<>(topics) : joinedTopics);
    }

    /** Unsubscribes (or drops a manual assignment): commits if auto-commit is on, leaves the group. */
    CompletionStage<Void> unsubscribe() {
        synchronized (this) {
            checkOpen();
            touch();
            CompletionStage<Void> left = leaveLocked("the REST consumer unsubscribed");
            wakeJoinWaiters();
            return left;
        }
    }

    /** Assigns partitions manually (no group membership); an empty list drops the assignment. */
    synchronized void assign(List<PartitionKey> partitions) {
        checkOpen();
        touch();
        if (mode == Mode.SUBSCRIBED) {
            throw RestError.illegalState("Subscription to topics, partitions and pattern are mutually exclusive");
        }
        Map<PartitionKey, Long> next = new LinkedHashMap<>();
        for (PartitionKey p : partitions) {
            next.put(p, positions.getOrDefault(p, UNKNOWN));
        }
        seeks.keySet().retainAll(next.keySet());
        positions = next;
        mode = next.isEmpty() ? Mode.NONE : Mode.ASSIGNED;
    }

    /** The partitions assigned now, by the group or manually. */
    synchronized List<PartitionKey> assignment() {
        checkOpen();
        touch();
        return new ArrayList<>(new TreeSet<>(positions.keySet()));
    }

    // ---------------------------------------------------------------- positions

    synchronized void seek(Map<PartitionKey, Long> offsets) {
        checkOpen();
        touch();
        requireAssigned(offsets.keySet());
        offsets.forEach((p, offset) -> {
            positions.put(p, offset);
            seeks.remove(p);
        });
    }

    synchronized void seek(Collection<PartitionKey> partitions, Seek where) {
        checkOpen();
        touch();
        requireAssigned(partitions);
        partitions.forEach(p -> seeks.put(p, where));
    }

    private void requireAssigned(Collection<PartitionKey> partitions) {
        for (PartitionKey p : partitions) {
            if (!positions.containsKey(p)) {
                throw RestError.illegalState("No current assignment for partition " + p);
            }
        }
    }

    // ---------------------------------------------------------------- offsets

    /**
     * Commits offsets through the coordinator: the given ones, or with none given the position of
     * every assigned partition (the offset after the last record returned).
     */
    CompletionStage<Void> commit(Optional<List<OffsetCommit>> explicit) {
        synchronized (this) {
            checkOpen();
            touch();
            return commitLocked(explicit.orElseGet(() -> knownPositions(positions)));
        }
    }

    private static List<OffsetCommit> knownPositions(Map<PartitionKey, Long> positions) {
        List<OffsetCommit> out = new ArrayList<>();
        positions.forEach((p, offset) -> {
            if (offset >= 0) {
                out.add(new OffsetCommit(p.topic(), p.partition(), offset, -1, ""));
            }
        });
        return out;
    }

    private CompletionStage<Void> commitLocked(List<OffsetCommit> offsets) {
        if (offsets.isEmpty()) {
            return done();
        }
        boolean member = mode == Mode.SUBSCRIBED;
        if (member && generation < 0) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.REBALANCE_IN_PROGRESS,
                    "The consumer is (re)joining its group; commit after the next records call"));
        }
        OffsetCommitRequest request = new OffsetCommitRequest(config.group(), member ? generation : -1,
                member ? memberId : "", Optional.empty(), offsets);
        try {
            return coordinator().commitOffsets(request).thenApply(this::failOnError);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Void failOnError(List<PartitionResult> results) {
        Map<BrokerError, List<String>> errors = new TreeMap<>();
        for (PartitionResult r : results) {
            r.error().ifPresent(e -> errors.computeIfAbsent(e, x -> new ArrayList<>()).add(r.topic() + "-" + r.partition()));
        }
        if (errors.isEmpty()) {
            return null;
        }
        BrokerError first = errors.keySet().iterator().next();
        if (first == BrokerError.REBALANCE_IN_PROGRESS || first == BrokerError.ILLEGAL_GENERATION
                || first == BrokerError.UNKNOWN_MEMBER_ID) {
            synchronized (this) {
                if (first == BrokerError.UNKNOWN_MEMBER_ID) {
                    memberId = "";
                }
                rejoinNeeded = true;
            }
        }
        throw new CompletionException(new BrokerException(first, "Commit failed for " + errors));
    }

    /** The group's committed offsets of {@code partitions}; partitions without one are left out. */
    CompletionStage<List<FetchedOffset>> committed(List<PartitionKey> partitions) {
        checkOpenAndTouch();
        return fetchCommitted(partitions).thenApply(list -> list.stream().filter(f -> f.offset() >= 0).toList());
    }

    private synchronized void checkOpenAndTouch() {
        checkOpen();
        touch();
    }

    CompletionStage<List<FetchedOffset>> fetchCommitted(List<PartitionKey> partitions) {
        try {
            return coordinator().fetchOffsets(new OffsetFetchRequest(config.group(), Optional.of(partitions), false,
                    Optional.empty(), -1));
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---------------------------------------------------------------- records

    /**
     * The next records: waits up to {@code timeoutMs} for the group to assign partitions and for
     * {@code fetch.min.bytes} of records, returning at most about {@code maxBytes} of keys and
     * values (always at least one record when any is available). Calls of one instance run one
     * after another.
     */
    CompletionStage<List<RecordPoll.Fetched>> records(long timeoutMs, long maxBytes) {
        synchronized (this) {
            checkOpen();
            touch();
            if (mode == Mode.NONE) {
                throw RestError.illegalState("Consumer is not subscribed to any topics or assigned any partitions");
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            CompletableFuture<List<RecordPoll.Fetched>> result = new CompletableFuture<>();
            reads = reads.handle((x, y) -> null).thenCompose(x -> {
                new RecordPoll(this, deadline, maxBytes, result).start();
                return result.handle((r, f) -> null);
            });
            return result;
        }
    }

    /** What a poll may read now, taken under the lock. */
    record ReadPlan(boolean stable, boolean closed, List<PartitionKey> unknown, Map<PartitionKey, Seek> seeks,
            Map<PartitionKey, Long> positions, int generation) {
    }

    synchronized ReadPlan plan() {
        if (closed || mode == Mode.NONE) {
            return new ReadPlan(false, true, List.of(), Map.of(), Map.of(), generation);
        }
        boolean stable = mode == Mode.ASSIGNED || (!joining && generation >= 0);
        List<PartitionKey> unknown = new ArrayList<>();
        positions.forEach((p, offset) -> {
            if (offset == UNKNOWN && !seeks.containsKey(p)) {
                unknown.add(p);
            }
        });
        // Partitions are read in turn starting one further each time, so one busy partition cannot starve the rest.
        List<PartitionKey> order = new ArrayList<>(positions.keySet());
        Map<PartitionKey, Long> rotated = new LinkedHashMap<>();
        int n = order.size();
        int start = n == 0 ? 0 : Math.floorMod(rotation++, n);
        for (int i = 0; i < n; i++) {
            PartitionKey p = order.get((start + i) % n);
            rotated.put(p, positions.get(p));
        }
        return new ReadPlan(stable, false, unknown, new HashMap<>(seeks), rotated, generation);
    }

    /** Resolves a partition's unknown position from its committed offset (or, with none, by the reset policy). */
    synchronized void resolveCommitted(List<FetchedOffset> committed) {
        for (FetchedOffset f : committed) {
            PartitionKey p = new PartitionKey(f.topic(), f.partition());
            if (positions.get(p) == null || positions.get(p) != UNKNOWN || seeks.containsKey(p)) {
                continue;
            }
            if (f.offset() >= 0) {
                positions.put(p, f.offset());
            } else {
                reset(p);
            }
        }
    }

    /** Applies {@code auto.offset.reset} to a partition without a valid position. Caller holds the lock. */
    void reset(PartitionKey p) {
        switch (config.autoOffsetReset()) {
            case EARLIEST -> seeks.put(p, Seek.BEGINNING);
            case LATEST -> seeks.put(p, Seek.END);
            case NONE -> throw RestError.kafka("Undefined offset with no reset policy for partition " + p);
        }
    }

    synchronized void resetOutOfRange(PartitionKey p, long offset) {
        Long now = positions.get(p);
        if (now != null && now == offset && !seeks.containsKey(p)) {
            reset(p);
        }
    }

    /** Sets a position resolved from a seek, unless the seek was replaced meanwhile. */
    synchronized void resolveSeek(PartitionKey p, Seek seek, long offset) {
        if (seeks.get(p) == seek && positions.containsKey(p)) {
            seeks.remove(p);
            positions.put(p, offset);
        }
    }

    /**
     * Moves a partition's position from {@code from} to {@code to} if nothing changed it meanwhile
     * (a seek, a rebalance); returns whether it did, i.e. whether the records read may be returned.
     */
    synchronized boolean advance(PartitionKey p, long from, long to, int readGeneration) {
        Long now = positions.get(p);
        if (closed || now == null || now != from || seeks.containsKey(p) || readGeneration != generation) {
            return false;
        }
        positions.put(p, to);
        return true;
    }

    /** A future completed when the current (re)join finishes, or at once if none runs. */
    synchronized CompletableFuture<Void> joined() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed || mode != Mode.SUBSCRIBED || (!joining && generation >= 0)) {
            f.complete(null);
        } else {
            joinWaiters.add(f);
        }
        return f;
    }

    private void wakeJoinWaiters() {
        List<CompletableFuture<Void>> waiting = new ArrayList<>(joinWaiters);
        joinWaiters.clear();
        if (waiting.isEmpty()) {
            return;
        }
        // Completed on a worker: a waiter's continuation must not run under this lock.
        try {
            workers.execute(() -> waiting.forEach(f -> f.complete(null)));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            waiting.forEach(f -> f.complete(null));
        }
    }

    // ---------------------------------------------------------------- group membership

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

    private Map<String, Integer> partitionCounts(Collection<String> names) {
        Map<String, Integer> out = new TreeMap<>();
        var cluster = broker.cluster();
        for (String t : names) {
            cluster.topic(t).ifPresent(info -> out.put(t, info.partitions().size()));
        }
        return out;
    }

    /** Starts a (re)join unless one is running. Caller holds the lock. */
    private void startJoinLocked() {
        if (closed || mode != Mode.SUBSCRIBED || joining) {
            return;
        }
        joining = true;
        rejoinNeeded = false;
        int epoch = ++joinEpoch;
        if (!positions.isEmpty()) {
            retained = positions;
        }
        CompletionStage<Void> before = config.autoCommit() && generation >= 0
                ? quietly(commitLocked(knownPositions(positions))) : done();
        positions = new LinkedHashMap<>();
        seeks.clear();
        Set<String> wanted = currentTopics();
        joinedTopics = wanted;
        JoinRequest request = new JoinRequest(config.group(), memberId, Optional.empty(), config.name(),
                config.clientHost(), config.sessionTimeoutMs(), REBALANCE_TIMEOUT_MS, ConsumerProtocol.PROTOCOL_TYPE,
                List.of(new GroupProtocol(ConsumerProtocol.RANGE, ConsumerProtocol.subscription(wanted))),
                false, false, Optional.empty());
        // Asynchronously: the coordinator may answer on this thread, and this thread holds the lock.
        before.thenComposeAsync(x -> coordinator().joinGroup(request), workers)
                .thenCompose(join -> sync(epoch, join))
                .whenComplete((sync, failure) -> onSynced(epoch, sync, failure));
    }

    private CompletionStage<SyncResult> sync(int epoch, JoinResult join) {
        boolean lead;
        synchronized (this) {
            if (epoch != joinEpoch) {
                throw new CompletionException(new IllegalStateException("superseded"));
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
            Set<String> all = ConsumerProtocol.allTopics(members);
            Map<String, Integer> counts = partitionCounts(all);
            Map<String, byte[]> plan = new HashMap<>();
            ConsumerProtocol.rangeAssign(members, counts).forEach((id, parts) -> plan.put(id, ConsumerProtocol.assignment(parts)));
            assignments = plan;
            synchronized (this) {
                Map<String, Integer> known = new TreeMap<>(counts);
                all.forEach(t -> known.putIfAbsent(t, -1));
                assignedCounts = known;
            }
        }
        return coordinator().syncGroup(new SyncRequest(config.group(), join.generationId(), join.memberId(), Optional.empty(),
                Optional.of(ConsumerProtocol.PROTOCOL_TYPE), join.protocolName(), assignments));
    }

    private void onSynced(int epoch, SyncResult sync, Throwable failure) {
        synchronized (this) {
            if (epoch != joinEpoch) {
                return;
            }
            joining = false;
            if (failure != null) {
                Throwable cause = unwrap(failure);
                generation = -1;
                rejoinNeeded = true;
                if (cause instanceof MemberIdRequiredException required) {
                    memberId = required.memberId();
                } else if (cause instanceof BrokerException be && be.error() == BrokerError.UNKNOWN_MEMBER_ID) {
                    memberId = "";
                    retained = Map.of();
                }
                LOG.debug("REST consumer {}/{}: join failed, retrying: {}", config.group(), config.name(), cause.toString());
                if (cause instanceof BrokerException be && (be.error() == BrokerError.REBALANCE_IN_PROGRESS
                        || be.error() == BrokerError.MEMBER_ID_REQUIRED || be.error() == BrokerError.UNKNOWN_MEMBER_ID)) {
                    startJoinLocked();
                }
                // Anything else (coordinator missing, …) is retried by the next heartbeat tick.
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
            Map<PartitionKey, Long> next = new LinkedHashMap<>();
            for (PartitionKey p : assigned) {
                next.put(p, retained.getOrDefault(p, UNKNOWN));
            }
            positions = next;
            retained = Map.of();
            LOG.debug("REST consumer {}/{} is member {} of generation {} with {}", config.group(), config.name(),
                    memberId, generation, assigned);
            if (rejoinNeeded) {
                startJoinLocked();
            } else {
                wakeJoinWaiters();
            }
        }
    }

    /** The timer: heartbeat, rejoin when needed, auto-commit. Never blocks. */
    private void tick() {
        int gen;
        String id;
        int epoch;
        synchronized (this) {
            if (closed || mode != Mode.SUBSCRIBED || joining) {
                return;
            }
            try {
                if (pattern != null && !currentTopics().equals(joinedTopics)) {
                    rejoinNeeded = true;
                }
                if (leader && generation >= 0) {
                    Map<String, Integer> now = new TreeMap<>(partitionCounts(assignedCounts.keySet()));
                    assignedCounts.keySet().forEach(t -> now.putIfAbsent(t, -1));
                    if (!now.equals(assignedCounts)) {
                        rejoinNeeded = true;
                    }
                }
                if (rejoinNeeded || generation < 0) {
                    startJoinLocked();
                    return;
                }
                if (config.autoCommit() && System.nanoTime() - lastAutoCommitNanos > TimeUnit.MILLISECONDS.toNanos(AUTO_COMMIT_INTERVAL_MS)) {
                    lastAutoCommitNanos = System.nanoTime();
                    quietly(commitLocked(knownPositions(positions)));
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

    private void onHeartbeat(int epoch, Throwable failure) {
        if (failure == null) {
            return;
        }
        Throwable cause = unwrap(failure);
        synchronized (this) {
            if (epoch != joinEpoch || !(cause instanceof BrokerException be)) {
                return;
            }
            switch (be.error()) {
                case REBALANCE_IN_PROGRESS -> startJoinLocked();
                case UNKNOWN_MEMBER_ID -> {
                    memberId = "";
                    generation = -1;
                    positions = new LinkedHashMap<>();
                    retained = Map.of();
                    startJoinLocked();
                }
                case ILLEGAL_GENERATION, FENCED_INSTANCE_ID -> {
                    generation = -1;
                    startJoinLocked();
                }
                default -> LOG.debug("REST consumer {}/{}: heartbeat failed: {}", config.group(), config.name(), be.toString());
            }
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
