package io.cairn.group.coordinator.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;
import io.cairn.broker.spi.groups.ConsumerHeartbeatResult;
import io.cairn.broker.spi.groups.TopicPartitions;
import io.cairn.group.assignors.internal.RangeAssignor;
import io.cairn.group.assignors.internal.UniformAssignor;

/**
 * A coordinator on a manual clock with an in-memory store, the real {@code uniform} and
 * {@code range} assignors, and a cluster whose topics the test creates and grows; plus the
 * client side of ConsumerGroupHeartbeat as kafka-clients drives it.
 */
final class ConsumerHarness {

    static final int REBALANCE_MS = 300_000;

    final ManualScheduler clock = new ManualScheduler();
    volatile CoordinatorConfig config;
    final MemoryOffsetStore store = new MemoryOffsetStore();
    final SelectedOffsetStore selected;
    final AssignorRegistry assignors;
    final Topics topics = new Topics();
    final CoordinatorCore coordinator;

    ConsumerHarness() {
        this(Map.of(), true);
    }

    ConsumerHarness(Map<String, String> overrides, boolean withAssignors) {
        config = CoordinatorConfig.of(overrides);
        selected = new SelectedOffsetStore(config.offsetStore(), clock, Runnable::run, () -> config.pluginWaitMs());
        selected.added(new SelectedOffsetStore.Candidate(1, 0, config.offsetStore(), store));
        assignors = new AssignorRegistry(clock);
        if (withAssignors) {
            addAssignors();
        }
        coordinator = new CoordinatorCore(clock, () -> config, selected, () -> Optional.of(topics.current()), assignors);
    }

    void addAssignors() {
        assignors.added(new AssignorRegistry.Candidate(10, 0, "uniform", new UniformAssignor()));
        assignors.added(new AssignorRegistry.Candidate(11, 0, "range", new RangeAssignor()));
    }

    static UUID id(String topic) {
        return UUID.nameUUIDFromBytes(topic.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The topics a test creates, as the kernel shows them: each change makes a new immutable
     * snapshot ({@link #current()}), as {@code LocalBroker.cluster()} does. Thread-safe.
     */
    static final class Topics {
        private volatile Snapshot current = new Snapshot(new TreeMap<>());

        synchronized void put(String name, int count) {
            Map<String, Integer> next = new TreeMap<>(current.partitions);
            next.put(name, count);
            current = new Snapshot(next);
        }

        Snapshot current() {
            return current;
        }

        Optional<TopicInfo> topic(String name) {
            return current.topic(name);
        }
    }

    /** One immutable cluster snapshot. */
    static final class Snapshot implements ClusterView {
        private final Map<String, Integer> partitions;

        Snapshot(Map<String, Integer> partitions) {
            this.partitions = Map.copyOf(partitions);
        }

        @Override
        public String clusterId() {
            return "test-cluster";
        }

        @Override
        public int controllerId() {
            return 0;
        }

        @Override
        public Collection<BrokerInfo> brokers() {
            return List.of();
        }

        @Override
        public Optional<BrokerInfo> broker(int id) {
            return Optional.empty();
        }

        @Override
        public Collection<TopicInfo> topics() {
            List<TopicInfo> all = new ArrayList<>();
            new TreeMap<>(partitions).forEach((name, n) -> all.add(info(name, n)));
            return all;
        }

        @Override
        public Optional<TopicInfo> topic(String name) {
            return Optional.ofNullable(partitions.get(name)).map(n -> info(name, n));
        }

        private static TopicInfo info(String name, int n) {
            List<PartitionState> states = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                states.add(new PartitionState(p, 0, 0, List.of(0), List.of(0)));
            }
            return new TopicInfo(name, id(name), false, states);
        }
    }

    /** One consumer as kafka-clients' AsyncKafkaConsumer drives the protocol: full join, then deltas. */
    final class Member {
        final String group;
        String memberId;
        final Optional<String> instance;
        int epoch;
        /** What the client owns: it takes what it is given, and gives up what it no longer is. */
        Map<UUID, Set<Integer>> owned = new HashMap<>();

        Member(String group, String memberId, Optional<String> instance) {
            this.group = group;
            this.memberId = memberId;
            this.instance = instance;
        }

        CompletableFuture<ConsumerHeartbeatResult> send(ConsumerHeartbeatRequest r) {
            return coordinator.consumerGroupHeartbeat(r).toCompletableFuture();
        }

        /** Joins subscribed to {@code topics}, asking for {@code assignor} if present. */
        ConsumerHeartbeatResult join(List<String> topics, Optional<String> assignor) {
            return apply(send(new ConsumerHeartbeatRequest(group, memberId, 0, instance, Optional.empty(), REBALANCE_MS,
                    Optional.of(topics), Optional.empty(), assignor, Optional.of(List.of()), "client-" + memberId,
                    "/127.0.0.1")).join());
        }

        ConsumerHeartbeatResult joinRegex(String regex) {
            return apply(send(new ConsumerHeartbeatRequest(group, memberId, 0, instance, Optional.empty(), REBALANCE_MS,
                    Optional.empty(), Optional.of(regex), Optional.empty(), Optional.of(List.of()), "client-" + memberId,
                    "/127.0.0.1")).join());
        }

        /** A regular heartbeat: the current epoch and what it owns. */
        ConsumerHeartbeatResult heartbeat() {
            return apply(send(request(epoch)).join());
        }

        CompletableFuture<ConsumerHeartbeatResult> heartbeatWithEpoch(int anEpoch) {
            return send(request(anEpoch));
        }

        ConsumerHeartbeatRequest request(int anEpoch) {
            List<TopicPartitions> list = new ArrayList<>();
            owned.forEach((t, ps) -> list.add(new TopicPartitions(t, "", new ArrayList<>(ps))));
            return new ConsumerHeartbeatRequest(group, memberId, anEpoch, instance, Optional.empty(), -1, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of(list), "client-" + memberId, "/127.0.0.1");
        }

        ConsumerHeartbeatResult leave(int leaveEpoch) {
            ConsumerHeartbeatResult r = send(new ConsumerHeartbeatRequest(group, memberId, leaveEpoch, instance,
                    Optional.empty(), -1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    "client-" + memberId, "/127.0.0.1")).join();
            owned = new HashMap<>();
            return r;
        }

        ConsumerHeartbeatResult apply(ConsumerHeartbeatResult r) {
            memberId = r.memberId();
            epoch = r.memberEpoch();
            r.assignment().ifPresent(a -> {
                owned = new HashMap<>();
                a.forEach(tp -> owned.put(tp.topicId(), Set.copyOf(tp.partitions())));
            });
            return r;
        }

        Set<Integer> partitionsOf(String topic) {
            return owned.getOrDefault(id(topic), Set.of());
        }

        int count() {
            return owned.values().stream().mapToInt(Set::size).sum();
        }
    }

    Member member(String group, String memberId) {
        return new Member(group, memberId, Optional.empty());
    }

    Member staticMember(String group, String memberId, String instance) {
        return new Member(group, memberId, Optional.of(instance));
    }
}
