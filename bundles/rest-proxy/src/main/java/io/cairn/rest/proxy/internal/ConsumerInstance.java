package io.cairn.rest.proxy.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * One REST consumer instance: what a Kafka consumer is for a REST client. Subscribed, it is a real
 * member of its group in the broker's {@link GroupCoordinator} ({@link GroupMembership}), sharing
 * partitions and committed offsets with Kafka clients of the same group; given partitions by
 * {@code assignments}, it is a "simple" consumer that uses the group only for offsets (commits
 * with generation -1, which the coordinator accepts while the group has no members). The partitions
 * it holds and their positions are {@link PartitionPositions}; {@code GET records} is a
 * {@link RecordPoll}.
 *
 * <p>Thread-safety: the mode and lifecycle are guarded by {@code this}; lock order is this, then
 * {@link GroupMembership}, then {@link PartitionPositions}. Calls of {@link #records} run one after
 * another.
 */
final class ConsumerInstance {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerInstance.class);

    /**
     * Kafka's default {@code session.timeout.ms}: the member is dropped this long after the proxy
     * stops heartbeating. The broker key {@code consumer.session.timeout.ms} changes it.
     */
    static final int DEFAULT_SESSION_TIMEOUT_MS = 45_000;

    enum Format { BINARY, JSON }

    enum Reset { EARLIEST, LATEST, NONE }

    /** The instance's configuration, from the create request and the broker's keys. */
    record Config(String group, String name, Format format, Reset autoOffsetReset, boolean autoCommit,
            int fetchMinBytes, int requestTimeoutMs, String clientHost, int sessionTimeoutMs) {
    }

    private enum Mode { NONE, SUBSCRIBED, ASSIGNED }

    /** What a poll may do now: whether the partitions are settled, and the positions to read from. */
    record ReadPlan(boolean stable, boolean gone, PartitionPositions.Snapshot positions, Optional<BrokerException> joinFailure) {
    }

    final Config config;
    final LocalBroker broker;
    final Executor workers;
    private final ScheduledExecutorService timer;
    private final Supplier<GroupCoordinator> coordinators;
    private final PartitionPositions positions = new PartitionPositions();
    private final GroupMembership membership;

    // Guarded by this.
    private long lastUsedNanos = System.nanoTime();
    private boolean closed;
    private Mode mode = Mode.NONE;
    private CompletableFuture<?> reads = CompletableFuture.completedFuture(null);
    private final java.util.Set<PartitionKey> warnedNotHosted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ConsumerInstance(Config config, Supplier<GroupCoordinator> coordinators, LocalBroker broker,
            ScheduledExecutorService timer, Executor workers) {
        this.config = config;
        this.coordinators = coordinators;
        this.broker = broker;
        this.timer = timer;
        this.workers = workers;
        this.membership = new GroupMembership(config, coordinators, broker, timer, workers, positions);
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    // ---------------------------------------------------------------- lifecycle

    synchronized void touch() {
        lastUsedNanos = System.nanoTime();
    }

    synchronized boolean idleLongerThan(long nanos, long now) {
        return now - lastUsedNanos > nanos;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void checkOpenAndTouch() {
        if (closed) {
            throw RestError.instanceNotFound();
        }
        lastUsedNanos = System.nanoTime();
    }

    /**
     * Closes the instance: commits what was consumed if auto-commit is on and leaves the group.
     * Idempotent; the stage completes when the coordinator has answered (failures are logged, not
     * passed on: the instance is gone either way).
     */
    synchronized CompletionStage<Void> close(String reason) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        closed = true;
        return stopLocked(reason);
    }

    /** Ends the subscription or manual assignment. Caller holds the lock. */
    private CompletionStage<Void> stopLocked(String reason) {
        Mode was = mode;
        mode = Mode.NONE;
        if (was == Mode.SUBSCRIBED) {
            return membership.leave(reason);
        }
        CompletionStage<Void> commit = was == Mode.ASSIGNED && config.autoCommit()
                ? GroupMembership.commit(coordinators, config.group(), -1, "", positions.consumed())
                : CompletableFuture.completedFuture(null);
        positions.clear();
        return commit.handle((x, failure) -> {
            if (failure != null) {
                LOG.debug("REST consumer {}/{}: auto-commit on {} failed: {}", config.group(), config.name(), reason,
                        failure.toString());
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- subscription and assignment

    /** Subscribes to topics by name (or, with {@code pattern}, every topic it matches); replaces an earlier subscription. */
    synchronized void subscribe(List<String> names, Pattern pattern) {
        checkOpenAndTouch();
        if (mode == Mode.ASSIGNED) {
            throw RestError.illegalState("Subscription to topics, partitions and pattern are mutually exclusive");
        }
        mode = Mode.SUBSCRIBED;
        membership.subscribe(names, pattern);
    }

    /** The subscribed topics (for a pattern, those it matched when the instance last joined). */
    synchronized List<String> subscription() {
        checkOpenAndTouch();
        return mode == Mode.SUBSCRIBED ? membership.subscription() : List.of();
    }

    /** Unsubscribes (or drops a manual assignment): commits if auto-commit is on, leaves the group. */
    synchronized CompletionStage<Void> unsubscribe() {
        checkOpenAndTouch();
        return stopLocked("the REST consumer unsubscribed");
    }

    /** Assigns partitions manually (no group membership); an empty list drops the assignment. */
    synchronized void assign(List<PartitionKey> partitions) {
        checkOpenAndTouch();
        if (mode == Mode.SUBSCRIBED) {
            throw RestError.illegalState("Subscription to topics, partitions and pattern are mutually exclusive");
        }
        positions.assignManually(partitions);
        mode = partitions.isEmpty() ? Mode.NONE : Mode.ASSIGNED;
    }

    /** The partitions held now, by the group or manually. */
    synchronized List<PartitionKey> assignment() {
        checkOpenAndTouch();
        return positions.partitions();
    }

    synchronized void seek(Map<PartitionKey, Long> offsets) {
        checkOpenAndTouch();
        positions.seek(offsets);
    }

    synchronized void seek(Collection<PartitionKey> partitions, PartitionPositions.Seek where) {
        checkOpenAndTouch();
        positions.seek(partitions, where);
    }

    // ---------------------------------------------------------------- offsets

    /**
     * Commits offsets through the coordinator: the given ones, or with none given the position of
     * every partition held (the offset after the last record returned). A subscribed instance
     * commits as its group member; any other as a simple consumer (generation -1).
     */
    synchronized CompletionStage<Void> commit(Optional<List<OffsetCommit>> explicit) {
        checkOpenAndTouch();
        List<OffsetCommit> offsets = explicit.orElseGet(positions::consumed);
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return mode == Mode.SUBSCRIBED ? membership.commit(offsets)
                : GroupMembership.commit(coordinators, config.group(), -1, "", offsets);
    }

    /** The group's committed offsets of {@code partitions}; partitions without one are left out. */
    CompletionStage<List<FetchedOffset>> committed(List<PartitionKey> partitions) {
        synchronized (this) {
            checkOpenAndTouch();
        }
        return fetchCommitted(partitions).thenApply(list -> list.stream().filter(f -> f.offset() >= 0).toList());
    }

    CompletionStage<List<FetchedOffset>> fetchCommitted(List<PartitionKey> partitions) {
        GroupCoordinator coordinator = coordinators.get();
        if (coordinator == null) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                    "The broker has no group coordinator"));
        }
        return coordinator.fetchOffsets(new OffsetFetchRequest(config.group(), Optional.of(partitions), false,
                Optional.empty(), -1));
    }

    // ---------------------------------------------------------------- records

    /**
     * The next records: waits up to {@code timeoutMs} for the group to assign partitions and for
     * {@code fetch.min.bytes} of records, returning at most about {@code maxBytes} of keys and
     * values (always at least one record when any is available). Calls of one instance run one
     * after another.
     */
    synchronized CompletionStage<List<RecordPoll.Fetched>> records(long timeoutMs, long maxBytes) {
        checkOpenAndTouch();
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

    /** What a poll may read now. */
    synchronized ReadPlan plan() {
        boolean gone = closed || mode == Mode.NONE;
        boolean stable = mode == Mode.ASSIGNED || (mode == Mode.SUBSCRIBED && membership.stable());
        Optional<BrokerException> failure = mode == Mode.SUBSCRIBED ? membership.joinFailure() : Optional.empty();
        return new ReadPlan(stable, gone, positions.snapshot(), failure);
    }

    /** Completes when the group has settled (at once for a manual assignment). */
    CompletableFuture<Void> joined() {
        return membership.joined();
    }

    /** Whether this is the first time a read found {@code p} hosted elsewhere (to warn once). */
    boolean firstTimeNotHosted(PartitionKey p) {
        return warnedNotHosted.add(p);
    }

    PartitionPositions positions() {
        return positions;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
